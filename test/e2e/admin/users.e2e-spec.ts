import { itRequiresAdmin } from '../../helpers/auth-examples';
import { addMember, addUserKey, createAdmin, createGroup, createPat, createProject, createUser } from '../../helpers/factories';
import { createTestApp, TestApp } from '../../helpers/test-app';

const USER_KEYS = ['id', 'username', 'name', 'state', 'email', 'is_admin', 'external', 'enterprise_group_id', 'two_factor_enabled', 'identities', 'created_at'];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('admin users', () => {
  let t: TestApp;
  let adm: Record<string, string>;
  let usr: string;

  beforeAll(async () => {
    t = await createTestApp();
    adm = (await createAdmin(t)).headers;
    usr = await createPat(t, await createUser(t, 'plain'));
  });
  afterAll(() => t.close());

  const post = (path: string, body: object = {}, headers = adm) => t.http().post(path).set(headers).send(body);

  it('#91 creates a user (201 entity); a user token → 403; no token → 401; the same username again → 409', async () => {
    const body = { email: 'alice@example.com', name: 'Alice Example', username: 'alice', password: 'secret123' };
    const res = await post('/api/v4/users', body);
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Object.keys(res.body)).toEqual(USER_KEYS);
    expect(res.body).toEqual({
      id: expect.any(Number),
      username: 'alice',
      name: 'Alice Example',
      state: 'active',
      email: 'alice@example.com',
      is_admin: false,
      external: false,
      enterprise_group_id: null,
      two_factor_enabled: false,
      identities: [],
      created_at: expect.stringMatching(ISO),
    });
    const forbidden = await post('/api/v4/users', { ...body, username: 'other' }, { 'PRIVATE-TOKEN': usr });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toEqual({ message: '403 Forbidden' });
    const anonymous = await t.http().post('/api/v4/users').send(body);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ message: '401 Unauthorized' });
    const again = await post('/api/v4/users', body);
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ message: 'Username has already been taken' });
    const otherEmail = await post('/api/v4/users', { ...body, email: 'alice2@example.com', username: 'ALICE' });
    expect(otherEmail.status).toBe(409);
    expect(otherEmail.body).toEqual({ message: 'Username has already been taken' });
    const row = await t.dataSource.query(`SELECT encrypted_password FROM users WHERE username = 'alice'`);
    expect(row[0].encrypted_password).toMatch(/^\$/);
    expect(row[0].encrypted_password).not.toContain('secret123');
    const ns = await t.dataSource.query(`SELECT type, path, full_path, visibility_level FROM namespaces WHERE owner_id = $1`, [res.body.id]);
    expect(ns).toEqual([{ type: 'User', path: 'alice', full_path: 'alice', visibility_level: 20 }]);
  });

  it('concurrent duplicates: one 201, the others 409, never a 5xx', async () => {
    const names = await Promise.all([1, 2, 3, 4].map((i) => post('/api/v4/users', { email: `racer${i}@example.com`, name: 'Racer', username: 'racer' })));
    expect(names.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    for (const r of names.filter((x) => x.status === 409)) expect(r.body).toEqual({ message: 'Username has already been taken' });
    const emails = await Promise.all([1, 2, 3].map((i) => post('/api/v4/users', { email: 'same@example.com', name: 'Same', username: `same${i}` })));
    expect(emails.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    for (const r of emails.filter((x) => x.status === 409)) expect(r.body).toEqual({ message: 'Email has already been taken' });
  });

  it('duplicate email (case-insensitive) → 409 Email has already been taken', async () => {
    const res = await post('/api/v4/users', { email: 'ALICE@example.com', name: 'A', username: 'alice-two' });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ message: 'Email has already been taken' });
  });

  it('a username equal to a group path is taken', async () => {
    await createGroup(t, 'takengroup');
    const res = await post('/api/v4/users', { email: 'tg@example.com', name: 'T', username: 'TakenGroup' });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ message: 'Username has already been taken' });
  });

  it('missing required parameters are listed in order', async () => {
    const res = await post('/api/v4/users', {});
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'email is missing, name is missing, username is missing' });
    const one = await post('/api/v4/users', { email: 'x@example.com', username: 'x' });
    expect(one.body).toEqual({ error: 'name is missing' });
  });

  it('rejects invalid values with GitLab texts', async () => {
    const base = { email: 'v@example.com', name: 'V', username: 'valid' };
    expect((await post('/api/v4/users', { ...base, admin: 'maybe' })).body).toEqual({ error: 'admin is invalid' });
    expect((await post('/api/v4/users', { ...base, state: 'frozen' })).body).toEqual({ error: 'state does not have a valid value' });
    expect((await post('/api/v4/users', { ...base, provider: 'kerberos' })).body).toEqual({ error: 'extern_uid, provider provide all or none of parameters' });
    const short = await post('/api/v4/users', { ...base, password: 'short' });
    expect(short.status).toBe(400);
    expect(short.body).toEqual({ message: { password: ['is too short (minimum is 8 characters)'] } });
    const badName = await post('/api/v4/users', { ...base, username: '-bad' });
    expect(badName.status).toBe(400);
    expect(badName.body).toEqual({ message: { username: ["can contain only letters, digits, '_', '-' and '.'. Cannot start with '-' or end in '.', '.git' or '.atom'."] } });
    const badEmail = await post('/api/v4/users', { ...base, email: 'nope' });
    expect(badEmail.body).toEqual({ message: { email: ['is invalid'] } });
    const unknownGroup = await post('/api/v4/users', { ...base, enterprise_group_id: 999999 });
    expect(unknownGroup.status).toBe(404);
    expect(unknownGroup.body).toEqual({ message: '404 Group Not Found' });
    expect((await t.dataSource.query(`SELECT 1 FROM users WHERE username = 'valid'`)).length).toBe(0);
  });

  it('creates admins, external users, identities and ext state (form body too)', async () => {
    const group = await createGroup(t, 'entgroup');
    const res = await t
      .http()
      .post('/api/v4/users')
      .set(adm)
      .type('form')
      .send(`email=k@example.com&name=Kay+Example&username=kay&admin=true&external=1&provider=kerberos&extern_uid=kay%40EXAMPLE.COM&state=ldap_blocked&enterprise_group_id=${group.id}`);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      username: 'kay',
      state: 'ldap_blocked',
      is_admin: true,
      external: true,
      enterprise_group_id: Number(group.id),
      identities: [{ provider: 'kerberos', extern_uid: 'kay@EXAMPLE.COM' }],
    });
    const dup = await post('/api/v4/users', { email: 'k2@example.com', name: 'K', username: 'kay2', provider: 'kerberos', extern_uid: 'kay@EXAMPLE.COM' });
    expect(dup.status).toBe(400);
    expect(dup.body).toEqual({ message: { 'identities.extern_uid': ['has already been taken'] } });
  });

  it('GET /users/:id by id or username (case-insensitive); unknown → 404 User Not Found', async () => {
    const u = await createUser(t, 'Gina');
    const byId = await t.http().get(`/api/v4/users/${u.id}`).set(adm);
    expect(byId.status).toBe(200);
    expect(byId.body.username).toBe('Gina');
    const byName = await t.http().get('/api/v4/users/gina').set(adm);
    expect(byName.body.id).toBe(Number(u.id));
    for (const id of ['999999', 'nobody', '99999999999999999999']) {
      const res = await t.http().get(`/api/v4/users/${id}`).set(adm);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ message: '404 User Not Found' });
    }
  });

  it('two_factor_enabled reflects the user_two_factor row', async () => {
    const u = await createUser(t, 'twofa');
    await t.dataSource.query(`INSERT INTO user_two_factor (user_id, otp_secret_encrypted) VALUES ($1, 'x')`, [u.id]);
    const res = await t.http().get(`/api/v4/users/${u.id}`).set(adm);
    expect(res.body.two_factor_enabled).toBe(true);
  });

  it('a new user at a path that redirected releases the redirect route', async () => {
    await t.dataSource.query(`INSERT INTO redirect_routes (source_type, source_id, path) VALUES ('Namespace', 999, 'Reused'), ('Project', 998, 'reused/proj')`);
    const res = await post('/api/v4/users', { email: 'reused@example.com', name: 'Reused', username: 'reused' });
    expect(res.status).toBe(201);
    expect(await t.dataSource.query(`SELECT path FROM redirect_routes WHERE lower(path) LIKE 'reused%'`)).toEqual([]);
  });

  it('GET /users?username= and ?search=, paginated', async () => {
    await createUser(t, 'searchme1', { name: 'Findable One' });
    await createUser(t, 'searchme2', { name: 'Findable Two' });
    const exact = await t.http().get('/api/v4/users?username=SEARCHME1').set(adm);
    expect(exact.status).toBe(200);
    expect(exact.body.map((u: { username: string }) => u.username)).toEqual(['searchme1']);
    expect(exact.headers['x-total']).toBe('1');
    const none = await t.http().get('/api/v4/users?username=nobody').set(adm);
    expect(none.body).toEqual([]);
    const search = await t.http().get('/api/v4/users?search=findable&per_page=1').set(adm);
    expect(search.body.map((u: { username: string }) => u.username)).toEqual(['searchme2']);
    expect(search.headers['x-total']).toBe('2');
    expect(search.headers['x-total-pages']).toBe('2');
    expect(search.headers['x-next-page']).toBe('2');
    expect(search.headers.link).toContain('rel="next"');
    const bad = await t.http().get('/api/v4/users?page=x').set(adm);
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: 'page is invalid' });
  });

  it('PUT /users/:id updates attributes; a new username renames the personal namespace with redirect routes', async () => {
    const u = await createUser(t, 'renamer');
    const ns = (await t.dataSource.query(`SELECT * FROM namespaces WHERE owner_id = $1`, [u.id]))[0];
    const p = await createProject(t, ns, 'proj');
    const res = await t.http().put(`/api/v4/users/${u.id}`).set(adm).send({ username: 'renamed', name: 'Renamed Person', external: true, password: 'n3w-passw0rd' });
    expect(res.status).toBe(200);
    expect((await t.dataSource.query(`SELECT encrypted_password FROM users WHERE id = $1`, [u.id]))[0].encrypted_password).toMatch(/^\$scrypt\$/);
    expect(res.body).toMatchObject({ id: Number(u.id), username: 'renamed', name: 'Renamed Person', external: true });
    const after = (await t.dataSource.query(`SELECT name, path, full_path FROM namespaces WHERE id = $1`, [ns.id]))[0];
    expect(after).toEqual({ name: 'Renamed Person', path: 'renamed', full_path: 'renamed' });
    const project = (await t.dataSource.query(`SELECT full_path FROM projects WHERE id = $1`, [p.id]))[0];
    expect(project.full_path).toBe('renamed/proj');
    const routes = await t.dataSource.query(`SELECT source_type, source_id, path FROM redirect_routes WHERE path IN ('renamer', 'renamer/proj') ORDER BY path`);
    expect(routes).toEqual([
      { source_type: 'Namespace', source_id: Number(ns.id), path: 'renamer' },
      { source_type: 'Project', source_id: Number(p.id), path: 'renamer/proj' },
    ]);
  });

  it('PUT /users/:id conflicts → 409; unknown → 404', async () => {
    const u = await createUser(t, 'conflicter');
    await createUser(t, 'occupied');
    const name = await t.http().put(`/api/v4/users/${u.id}`).set(adm).send({ username: 'Occupied' });
    expect(name.status).toBe(409);
    expect(name.body).toEqual({ message: 'Username has already been taken' });
    const email = await t.http().put(`/api/v4/users/${u.id}`).set(adm).send({ email: 'OCCUPIED@example.com' });
    expect(email.status).toBe(409);
    expect(email.body).toEqual({ message: 'Email has already been taken' });
    const missing = await t.http().put('/api/v4/users/999999').set(adm).send({ name: 'x' });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ message: '404 User Not Found' });
  });

  describe('state transitions answer 201 true or GitLab 403 texts', () => {
    const act = (id: number, action: string) => t.http().post(`/api/v4/users/${id}/${action}`).set(adm);
    const state = async (id: number) => (await t.dataSource.query(`SELECT state FROM users WHERE id = $1`, [id]))[0].state;

    it('block, unblock, deactivate, activate (repeating is a no-op)', async () => {
      const u = await createUser(t, 'stateful');
      for (const [action, expected] of [
        ['block', 'blocked'],
        ['block', 'blocked'],
        ['unblock', 'active'],
        ['deactivate', 'deactivated'],
        ['deactivate', 'deactivated'],
        ['activate', 'active'],
        ['activate', 'active'],
        ['unblock', 'active'],
      ]) {
        const res = await act(u.id, action);
        expect(res.status).toBe(201);
        expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(res.text).toBe('true');
        expect(await state(u.id)).toBe(expected);
      }
    });

    it.each([
      ['ldap_blocked', 'block', 'LDAP blocked users cannot be modified by the API'],
      ['ldap_blocked', 'unblock', 'LDAP blocked users cannot be unblocked by the API'],
      ['deactivated', 'unblock', 'Deactivated users cannot be unblocked by the API'],
      ['blocked', 'deactivate', 'A blocked user cannot be deactivated by the API'],
      ['blocked_pending_approval', 'deactivate', 'A blocked user cannot be deactivated by the API'],
      ['blocked', 'activate', 'A blocked user must be unblocked to be activated'],
      ['ldap_blocked', 'activate', 'A blocked user must be unblocked to be activated'],
    ] as const)('%s user, %s → 403', async (from, action, reason) => {
      const u = await createUser(t, `s-${from}-${action}`.replace(/_/g, ''), { state: from });
      const res = await act(u.id, action);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ message: `403 Forbidden - ${reason}` });
      expect(await state(u.id)).toBe(from);
    });

    it('unknown user → 404', async () => {
      const res = await act(999999, 'block');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ message: '404 User Not Found' });
    });
  });

  it('DELETE /users/:id removes the user and everything it owns in one go; deploy keys it created stay', async () => {
    const u = await createUser(t, 'doomed');
    await addUserKey(t, u);
    await createPat(t, u);
    await t.dataSource.query(`INSERT INTO identities (user_id, provider, extern_uid) VALUES ($1, 'kerberos', 'doomed@X')`, [u.id]);
    const group = await createGroup(t, 'doomgroup');
    await addMember(t, group, u, 30);
    const ns = (await t.dataSource.query(`SELECT * FROM namespaces WHERE owner_id = $1`, [u.id]))[0];
    const p = await createProject(t, ns, 'mine');
    const other = await createUser(t, 'survivor');
    await addMember(t, p, other, 30);
    await t.dataSource.query(`INSERT INTO redirect_routes (source_type, source_id, path) VALUES ('Project', $1, 'doomed/oldname')`, [p.id]);
    const deployKey = (
      await t.dataSource.query(
        `INSERT INTO keys (type, user_id, title, key, fingerprint, fingerprint_sha256) VALUES ('DeployKey', $1, 'dk', 'ssh-ed25519 AAAA', 'aa', 'deploy-fp-doomed') RETURNING id`,
        [u.id],
      )
    )[0].id;

    const res = await t.http().delete(`/api/v4/users/${u.id}`).set(adm);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    const count = async (sql: string, params: unknown[]) => Number((await t.dataSource.query(sql, params))[0].n);
    expect(await count(`SELECT count(*) AS n FROM users WHERE id = $1`, [u.id])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM keys WHERE user_id = $1`, [u.id])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM personal_access_tokens WHERE user_id = $1`, [u.id])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM identities WHERE user_id = $1`, [u.id])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM members WHERE user_id = $1 OR (source_type = 'Project' AND source_id = $2)`, [u.id, p.id])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM namespaces WHERE id = $1`, [ns.id])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM projects WHERE id = $1`, [p.id])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM redirect_routes WHERE path = 'doomed/oldname'`, [])).toBe(0);
    expect(await t.dataSource.query(`SELECT user_id FROM keys WHERE id = $1`, [deployKey])).toEqual([{ user_id: null }]);
    expect(await count(`SELECT count(*) AS n FROM users WHERE id = $1`, [other.id])).toBe(1);
    const again = await t.http().delete(`/api/v4/users/${u.id}`).set(adm);
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ message: '404 User Not Found' });
  });

  it('a token of a non-admin, blocked admin, or without api scope is refused', async () => {
    const blockedAdmin = await createUser(t, 'blockedadmin', { admin: true, state: 'blocked' });
    const blockedToken = await createPat(t, blockedAdmin);
    expect((await t.http().get('/api/v4/users/1').set('PRIVATE-TOKEN', blockedToken)).status).toBe(401);
    const readOnly = await createPat(t, await createUser(t, 'readadmin', { admin: true }), ['read_api']);
    expect((await t.http().get('/api/v4/users/1').set('PRIVATE-TOKEN', readOnly)).status).toBe(403);
    expect((await t.http().get('/api/v4/users/1').set('Authorization', `Bearer ${adm['PRIVATE-TOKEN']}`)).status).toBe(200);
  });

  itRequiresAdmin(() => t, 'get', '/api/v4/users', () => usr);
  itRequiresAdmin(() => t, 'delete', '/api/v4/users/1', () => usr);
  itRequiresAdmin(() => t, 'post', '/api/v4/users/1/block', () => usr);
  itRequiresAdmin(() => t, 'put', '/api/v4/users/1', () => usr, { name: 'x' });
});
