import { itRequiresAdmin } from '../../helpers/auth-examples';
import { addMember, createAdmin, createGroup, createPat, createProject, createUser } from '../../helpers/factories';
import { createTestApp, TestApp } from '../../helpers/test-app';

const today = () => new Date().toISOString().slice(0, 10);

describe('admin groups and group members', () => {
  let t: TestApp;
  let adm: Record<string, string>;
  let usr: string;

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await createAdmin(t);
    adm = admin.headers;
    usr = await createPat(t, await createUser(t, 'plain'));
  });
  afterAll(() => t.close());

  it('creates a group: 201 entity; the admin does not become a member', async () => {
    const res = await t.http().post('/api/v4/groups').set(adm).send({ name: 'Group', path: 'grp', visibility: 'public' });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body)).toEqual(['id', 'name', 'path', 'full_path', 'parent_id', 'visibility', 'enabled_git_access_protocol', 'web_url']);
    expect(res.body).toEqual({ id: expect.any(Number), name: 'Group', path: 'grp', full_path: 'grp', parent_id: null, visibility: 'public', enabled_git_access_protocol: null, web_url: 'http://gitlab.test/groups/grp' });
    expect(await t.dataSource.query(`SELECT 1 FROM members WHERE source_type = 'Namespace' AND source_id = $1`, [res.body.id])).toEqual([]);

    const sub = await t.http().post('/api/v4/groups').set(adm).send({ name: 'Sub', path: 'sub', parent_id: String(res.body.id), enabled_git_access_protocol: 'ssh' });
    expect(sub.status).toBe(201);
    expect(sub.body).toMatchObject({ full_path: 'grp/sub', parent_id: res.body.id, visibility: 'private', enabled_git_access_protocol: 'ssh', web_url: 'http://gitlab.test/groups/grp/sub' });
  });

  it('validation: missing, invalid values, unknown parent, taken path, path format', async () => {
    const post = (body: object) => t.http().post('/api/v4/groups').set(adm).send(body);
    expect((await post({})).body).toEqual({ error: 'name is missing, path is missing' });
    expect((await post({ name: 'x', path: 'x', visibility: 'secret' })).body).toEqual({ error: 'visibility does not have a valid value' });
    expect((await post({ name: 'x', path: 'x', enabled_git_access_protocol: 'ftp' })).body).toEqual({ error: 'enabled_git_access_protocol does not have a valid value' });
    const parent = await post({ name: 'x', path: 'x', parent_id: 999999 });
    expect(parent.status).toBe(404);
    expect(parent.body).toEqual({ message: '404 Group Not Found' });
    const taken = await post({ name: 'x', path: 'GRP' });
    expect(taken.status).toBe(400);
    expect(taken.body).toEqual({ message: { path: ['has already been taken'] } });
    const format = await post({ name: 'x', path: 'bad path' });
    expect(format.status).toBe(400);
    expect(format.body).toEqual({ message: { path: ["can contain only letters, digits, '_', '-' and '.'. Cannot start with '-' or end in '.', '.git' or '.atom'."] } });
    await createUser(t, 'someuser');
    expect((await post({ name: 'x', path: 'someuser' })).body).toEqual({ message: { path: ['has already been taken'] } });
  });

  it('concurrent duplicates never answer a 5xx', async () => {
    const groups = await Promise.all([1, 2, 3].map(() => t.http().post('/api/v4/groups').set(adm).send({ name: 'Racy', path: 'racy' })));
    expect(groups.map((r) => r.status).sort()).toEqual([201, 400, 400]);
    const u = await createUser(t, 'racymember');
    const members = await Promise.all([1, 2, 3].map(() => t.http().post('/api/v4/groups/racy/members').set(adm).send({ user_id: u.id, access_level: 30 })));
    expect(members.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    for (const r of members.filter((x) => x.status === 409)) expect(r.body).toEqual({ message: 'Member already exists' });
  });

  it('GET by id or URL-encoded full path, case-insensitive; unknown → 404 Group Not Found', async () => {
    const byPath = await t.http().get('/api/v4/groups/GRP%2Fsub').set(adm);
    expect(byPath.status).toBe(200);
    expect(byPath.body.full_path).toBe('grp/sub');
    const byId = await t.http().get(`/api/v4/groups/${byPath.body.id}`).set(adm);
    expect(byId.body).toEqual(byPath.body);
    for (const id of ['999999', 'nope', 'someuser']) {
      const res = await t.http().get(`/api/v4/groups/${id}`).set(adm);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ message: '404 Group Not Found' });
    }
  });

  it('PUT renames a group and everything below it, keeping redirect routes', async () => {
    const top = await createGroup(t, 'movable');
    const child = await createGroup(t, 'child', { parent: top });
    const p1 = await createProject(t, top, 'p1');
    const p2 = await createProject(t, child, 'p2');
    await t.dataSource.query(`INSERT INTO redirect_routes (source_type, source_id, path) VALUES ('Project', $1, 'moved/p1')`, [p2.id]);
    const res = await t.http().put(`/api/v4/groups/${top.id}`).set(adm).send({ path: 'moved', name: 'Moved', visibility: 'internal' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Moved', path: 'moved', full_path: 'moved', visibility: 'internal', web_url: 'http://gitlab.test/groups/moved' });
    const paths = await t.dataSource.query(
      `SELECT full_path FROM namespaces WHERE id IN ($1, $2) UNION ALL SELECT full_path FROM projects WHERE id IN ($3, $4) ORDER BY full_path`,
      [top.id, child.id, p1.id, p2.id],
    );
    expect(paths.map((r: { full_path: string }) => r.full_path)).toEqual(['moved', 'moved/child', 'moved/child/p2', 'moved/p1']);
    const routes = await t.dataSource.query(`SELECT source_type, source_id, path FROM redirect_routes WHERE path LIKE 'movable%' OR path LIKE 'moved%' ORDER BY path`);
    expect(routes).toEqual([
      { source_type: 'Namespace', source_id: Number(top.id), path: 'movable' },
      { source_type: 'Namespace', source_id: Number(child.id), path: 'movable/child' },
      { source_type: 'Project', source_id: Number(p2.id), path: 'movable/child/p2' },
      { source_type: 'Project', source_id: Number(p1.id), path: 'movable/p1' },
    ]);
    // renaming back re-points nothing stale: the new full paths no longer redirect
    const back = await t.http().put(`/api/v4/groups/moved`).set(adm).send({ path: 'movable' });
    expect(back.status).toBe(200);
    const after = await t.dataSource.query(`SELECT source_type, source_id, path FROM redirect_routes WHERE path LIKE 'movable%' OR path LIKE 'moved%' ORDER BY path`);
    expect(after).toEqual([
      { source_type: 'Namespace', source_id: Number(top.id), path: 'moved' },
      { source_type: 'Namespace', source_id: Number(child.id), path: 'moved/child' },
      { source_type: 'Project', source_id: Number(p2.id), path: 'moved/child/p2' },
      { source_type: 'Project', source_id: Number(p1.id), path: 'moved/p1' },
    ]);
  });

  it('a change of letter case alone is no redirect; a taken path → 400', async () => {
    const g = await createGroup(t, 'casey');
    const res = await t.http().put(`/api/v4/groups/${g.id}`).set(adm).send({ path: 'Casey' });
    expect(res.status).toBe(200);
    expect(res.body.full_path).toBe('Casey');
    expect(await t.dataSource.query(`SELECT 1 FROM redirect_routes WHERE lower(path) = 'casey'`)).toEqual([]);
    const taken = await t.http().put(`/api/v4/groups/${g.id}`).set(adm).send({ path: 'grp' });
    expect(taken.status).toBe(400);
    expect(taken.body).toEqual({ message: { path: ['has already been taken'] } });
    const missing = await t.http().put('/api/v4/groups/999999').set(adm).send({ name: 'x' });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ message: '404 Group Not Found' });
  });

  it('DELETE /groups/:id removes the group, its subgroups, projects, memberships and redirect routes (202)', async () => {
    const top = await createGroup(t, 'gone');
    const child = await createGroup(t, 'kid', { parent: top });
    const p = await createProject(t, child, 'proj');
    const u = await createUser(t, 'gonemember');
    await addMember(t, top, u, 30);
    await addMember(t, child, u, 30);
    await addMember(t, p, u, 30);
    await t.dataSource.query(`INSERT INTO redirect_routes (source_type, source_id, path) VALUES ('Namespace', $1, 'gone-old'), ('Project', $2, 'gone/kid/old')`, [top.id, p.id]);
    const res = await t.http().delete('/api/v4/groups/gone').set(adm);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ message: '202 Accepted' });
    expect(await t.dataSource.query(`SELECT id FROM namespaces WHERE id IN ($1, $2)`, [top.id, child.id])).toEqual([]);
    expect(await t.dataSource.query(`SELECT id FROM projects WHERE id = $1`, [p.id])).toEqual([]);
    expect(await t.dataSource.query(`SELECT id FROM members WHERE user_id = $1`, [u.id])).toEqual([]);
    expect(await t.dataSource.query(`SELECT id FROM redirect_routes WHERE path IN ('gone-old', 'gone/kid/old')`)).toEqual([]);
    expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM users WHERE id = $1`, [u.id]))[0].n).toBe(1);
    const again = await t.http().delete('/api/v4/groups/gone').set(adm);
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ message: '404 Group Not Found' });
  });

  describe('members', () => {
    it('adds, reads, lists, updates and removes a member', async () => {
      const g = await createGroup(t, 'team');
      const u = await createUser(t, 'member1');
      const add = await t.http().post('/api/v4/groups/team/members').set(adm).send({ user_id: String(u.id), access_level: '30' });
      expect(add.status).toBe(201);
      expect(Object.keys(add.body)).toEqual(['id', 'username', 'name', 'state', 'access_level', 'expires_at', 'membership_state']);
      expect(add.body).toEqual({ id: Number(u.id), username: 'member1', name: 'Member1 Example', state: 'active', access_level: 30, expires_at: null, membership_state: 'active' });
      const dup = await t.http().post(`/api/v4/groups/${g.id}/members`).set(adm).send({ user_id: u.id, access_level: 40 });
      expect(dup.status).toBe(409);
      expect(dup.body).toEqual({ message: 'Member already exists' });
      const get = await t.http().get(`/api/v4/groups/${g.id}/members/${u.id}`).set(adm);
      expect(get.status).toBe(200);
      expect(get.body).toEqual(add.body);
      const u2 = await createUser(t, 'member2');
      await t.http().post(`/api/v4/groups/${g.id}/members`).set(adm).send({ user_id: u2.id, access_level: 5, state: 'awaiting', expires_at: today() }).expect(201);
      const list = await t.http().get(`/api/v4/groups/${g.id}/members`).set(adm);
      expect(list.status).toBe(200);
      expect(list.headers['x-total']).toBe('2');
      expect(list.body[1]).toEqual({ id: Number(u2.id), username: 'member2', name: 'Member2 Example', state: 'active', access_level: 5, expires_at: today(), membership_state: 'awaiting' });
      const put = await t.http().put(`/api/v4/groups/${g.id}/members/${u.id}`).set(adm).send({ access_level: 50, expires_at: '2099-12-31' });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ access_level: 50, expires_at: '2099-12-31' });
      expect((await t.dataSource.query(`SELECT access_level, expires_at FROM members WHERE source_id = $1 AND user_id = $2`, [g.id, u.id]))[0]).toEqual({ access_level: 50, expires_at: '2099-12-31' });
      const del = await t.http().delete(`/api/v4/groups/${g.id}/members/${u.id}`).set(adm);
      expect(del.status).toBe(204);
      for (const res of [
        await t.http().get(`/api/v4/groups/${g.id}/members/${u.id}`).set(adm),
        await t.http().put(`/api/v4/groups/${g.id}/members/${u.id}`).set(adm).send({ access_level: 10 }),
        await t.http().delete(`/api/v4/groups/${g.id}/members/${u.id}`).set(adm),
      ]) {
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ message: '404 Member Not Found' });
      }
    });

    it('validation: missing, invalid level, unknown user or group, past expiry', async () => {
      const g = await createGroup(t, 'strict');
      const u = await createUser(t, 'strictuser');
      const url = `/api/v4/groups/${g.id}/members`;
      expect((await t.http().post(url).set(adm).send({})).body).toEqual({ error: 'user_id is missing, access_level is missing' });
      expect((await t.http().post(url).set(adm).send({ user_id: u.id, access_level: 35 })).body).toEqual({ error: 'access_level does not have a valid value' });
      expect((await t.http().post(url).set(adm).send({ user_id: u.id, access_level: 'dev' })).body).toEqual({ error: 'access_level is invalid' });
      expect((await t.http().post(url).set(adm).send({ user_id: 'abc', access_level: 30 })).body).toEqual({ error: 'user_id is invalid' });
      expect((await t.http().post(url).set(adm).send({ user_id: u.id, access_level: 30, state: 'sleeping' })).body).toEqual({ error: 'state does not have a valid value' });
      const past = await t.http().post(url).set(adm).send({ user_id: u.id, access_level: 30, expires_at: '2020-01-01' });
      expect(past.status).toBe(400);
      expect(past.body).toEqual({ message: { expires_at: ['cannot be a date in the past'] } });
      const user = await t.http().post(url).set(adm).send({ user_id: 999999, access_level: 30 });
      expect(user.status).toBe(404);
      expect(user.body).toEqual({ message: '404 User Not Found' });
      const group = await t.http().post('/api/v4/groups/999999/members').set(adm).send({ user_id: u.id, access_level: 30 });
      expect(group.status).toBe(404);
      expect(group.body).toEqual({ message: '404 Group Not Found' });
      expect(await t.dataSource.query(`SELECT 1 FROM members WHERE user_id = $1`, [u.id])).toEqual([]);
    });

    it('an access request (requested) is not a member; adding the user grants it', async () => {
      const g = await createGroup(t, 'requests');
      const u = await createUser(t, 'requester');
      const req = await t.http().post(`/api/v4/groups/${g.id}/members`).set(adm).send({ user_id: u.id, access_level: 30, requested: true });
      expect(req.status).toBe(201);
      expect((await t.dataSource.query(`SELECT requested_at IS NOT NULL AS r FROM members WHERE user_id = $1`, [u.id]))[0].r).toBe(true);
      expect((await t.http().get(`/api/v4/groups/${g.id}/members/${u.id}`).set(adm)).status).toBe(404);
      expect((await t.http().get(`/api/v4/groups/${g.id}/members`).set(adm)).body).toEqual([]);
      const grant = await t.http().post(`/api/v4/groups/${g.id}/members`).set(adm).send({ user_id: u.id, access_level: 20 });
      expect(grant.status).toBe(201);
      expect(grant.body.access_level).toBe(20);
      expect((await t.dataSource.query(`SELECT requested_at FROM members WHERE user_id = $1`, [u.id]))[0].requested_at).toBeNull();
    });

    it('factory-made memberships are visible', async () => {
      const g = await createGroup(t, 'factorygroup');
      const u = await createUser(t, 'factoryuser');
      await addMember(t, g, u, 40);
      const res = await t.http().get(`/api/v4/groups/factorygroup/members/${u.id}`).set(adm);
      expect(res.body.access_level).toBe(40);
    });
  });

  itRequiresAdmin(() => t, 'post', '/api/v4/groups', () => usr, { name: 'x', path: 'x' });
  itRequiresAdmin(() => t, 'get', '/api/v4/groups/grp', () => usr);
  itRequiresAdmin(() => t, 'post', '/api/v4/groups/grp/members', () => usr, { user_id: 1, access_level: 30 });
});
