import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { itRequiresAdmin } from '../../helpers/auth-examples';
import { addMember, createAdmin, createGroup, createPat, createProject, createUser } from '../../helpers/factories';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { JobQueue, queueToken } from '../../../src/jobs/job-queue';
import { PROJECT_DELETION_QUEUE } from '../../../src/admin/admin-projects.service';
import { hashedDiskPath } from '../../../src/namespaces/hashed-storage';
import { Namespace } from '../../../src/namespaces/entities/namespace.entity';
import { User } from '../../../src/identity/entities/user.entity';

const PROJECT_KEYS = [
  'id',
  'name',
  'path',
  'path_with_namespace',
  'namespace',
  'visibility',
  'archived',
  'default_branch',
  'repository_access_level',
  'lfs_enabled',
  'printing_merge_request_link_enabled',
  'repository_storage',
  'repository_read_only',
  'web_url',
  'ssh_url_to_repo',
  'http_url_to_repo',
  'created_at',
];

describe('admin projects and project members', () => {
  let t: TestApp;
  let adm: Record<string, string>;
  let root: User;
  let usr: string;
  let grp: Namespace;
  const storageDir = mkdtempSync(join(tmpdir(), 'gia-admin-storage-'));

  beforeAll(async () => {
    t = await createTestApp({
      GITALY_STORAGES: JSON.stringify({
        default: { address: 'tcp://gitaly.test:8075', token: 'gt' },
        local: { address: 'tcp://gitaly.test:8075', token: 'gt', path: storageDir },
      }),
    });
    const admin = await createAdmin(t);
    adm = admin.headers;
    root = admin.user;
    usr = await createPat(t, await createUser(t, 'plain'));
    grp = await createGroup(t, 'grp', { visibility: 20 });
  });
  afterAll(async () => {
    await t.close();
    rmSync(storageDir, { recursive: true, force: true });
  });

  const post = (body: object) => t.http().post('/api/v4/projects').set(adm).send(body);

  it('creates a project in a group: 201 entity with URLs, hashed disk path; the admin is no member', async () => {
    const res = await post({ name: 'Private', path: 'priv', namespace_id: grp.id, default_branch: 'main' });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body)).toEqual(PROJECT_KEYS);
    expect(res.body).toEqual({
      id: expect.any(Number),
      name: 'Private',
      path: 'priv',
      path_with_namespace: 'grp/priv',
      namespace: { id: Number(grp.id), name: 'grp', path: 'grp', kind: 'group', full_path: 'grp' },
      visibility: 'private',
      archived: false,
      default_branch: 'main',
      repository_access_level: 'enabled',
      lfs_enabled: true,
      printing_merge_request_link_enabled: true,
      repository_storage: 'default',
      repository_read_only: false,
      web_url: 'http://gitlab.test/grp/priv',
      ssh_url_to_repo: 'git@gitlab.test:grp/priv.git',
      http_url_to_repo: 'http://gitlab.test/grp/priv.git',
      created_at: expect.stringMatching(/Z$/),
    });
    const row = (await t.dataSource.query(`SELECT disk_path, creator_id, pending_delete FROM projects WHERE id = $1`, [res.body.id]))[0];
    expect(row).toEqual({ disk_path: hashedDiskPath(res.body.id), creator_id: Number(root.id), pending_delete: false });
    expect(await t.dataSource.query(`SELECT 1 FROM members WHERE source_type = 'Project' AND source_id = $1`, [res.body.id])).toEqual([]);
  });

  it("defaults to the caller's personal namespace; every creation field and ext is honoured", async () => {
    const res = await post({
      path: 'mine',
      visibility: 'internal',
      repository_access_level: 'private',
      lfs_enabled: 'false',
      printing_merge_request_link_enabled: false,
      archived: true,
      repository_read_only: 1,
      creator_id: root.id,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'mine',
      path_with_namespace: 'root/mine',
      namespace: { kind: 'user', full_path: 'root' },
      visibility: 'internal',
      repository_access_level: 'private',
      lfs_enabled: false,
      printing_merge_request_link_enabled: false,
      archived: true,
      repository_read_only: true,
      default_branch: null,
    });
  });

  it('derives the path from the name; namespace_id may be a full path', async () => {
    const res = await post({ name: 'My Project', namespace_id: 'GRP' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'My Project', path: 'my-project', path_with_namespace: 'grp/my-project' });
  });

  it('validation answers GitLab texts and creates nothing', async () => {
    expect((await post({})).body).toEqual({ error: 'name, path are missing, at least one parameter must be provided' });
    expect((await post({ path: 'x', visibility: 'secret' })).body).toEqual({ error: 'visibility does not have a valid value' });
    expect((await post({ path: 'x', repository_access_level: 'maybe' })).body).toEqual({ error: 'repository_access_level does not have a valid value' });
    expect((await post({ path: 'x', repository_storage: 'nowhere' })).body).toEqual({ error: 'repository_storage does not have a valid value' });
    expect((await post({ path: 'x', lfs_enabled: 'perhaps' })).body).toEqual({ error: 'lfs_enabled is invalid' });
    const ns = await post({ path: 'x', namespace_id: 999999 });
    expect(ns.status).toBe(404);
    expect(ns.body).toEqual({ message: '404 Namespace Not Found' });
    const taken = await post({ path: 'PRIV', namespace_id: grp.id });
    expect(taken.status).toBe(400);
    expect(taken.body).toEqual({ message: { path: ['has already been taken'] } });
    const format = await post({ path: 'a..b' });
    expect(format.body).toEqual({ message: { path: ['must not start or end with a special character and must not contain consecutive special characters.'] } });
    const format2 = await post({ path: 'x.git' });
    expect(format2.body).toEqual({ message: { path: ["can contain only letters, digits, '_', '-' and '.'. Cannot start with '-', end in '.git' or end in '.atom'"] } });
    const creator = await post({ path: 'x', creator_id: 999999 });
    expect(creator.status).toBe(404);
    expect(creator.body).toEqual({ message: '404 User Not Found' });
    expect(await t.dataSource.query(`SELECT 1 FROM projects WHERE path = 'x'`)).toEqual([]);
  });

  it('a group full path is taken for a project too (shared path space)', async () => {
    const sub = await createGroup(t, 'sub', { parent: grp });
    const res = await post({ path: 'sub', namespace_id: grp.id });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: { path: ['has already been taken'] } });
    expect(sub.full_path).toBe('grp/sub');
  });

  it("POST /projects/user/:user_id creates in that user's namespace; unknown → 404 User Not Found", async () => {
    const alice = await createUser(t, 'alice');
    const res = await t.http().post(`/api/v4/projects/user/${alice.id}`).set(adm).send({ path: 'apriv' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ path_with_namespace: 'alice/apriv', namespace: { kind: 'user', full_path: 'alice' } });
    expect((await t.dataSource.query(`SELECT creator_id FROM projects WHERE id = $1`, [res.body.id]))[0].creator_id).toBe(Number(alice.id));
    const unknown = await t.http().post('/api/v4/projects/user/999999').set(adm).send({ path: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ message: '404 User Not Found' });
  });

  it('initialises a bare repository on a storage with a local path', async () => {
    const res = await post({ path: 'local', namespace_id: grp.id, repository_storage: 'local', default_branch: 'trunk' });
    expect(res.status).toBe(201);
    expect(res.body.repository_storage).toBe('local');
    const dir = join(storageDir, `${hashedDiskPath(res.body.id)}.git`);
    expect(execFileSync('git', ['--git-dir', dir, 'rev-parse', '--is-bare-repository']).toString().trim()).toBe('true');
    expect(execFileSync('git', ['--git-dir', dir, 'symbolic-ref', 'HEAD']).toString().trim()).toBe('refs/heads/trunk');
  });

  it('GET by id or URL-encoded full path (case-insensitive); unknown → 404 Project Not Found', async () => {
    const res = await t.http().get('/api/v4/projects/Grp%2FPriv').set(adm);
    expect(res.status).toBe(200);
    expect(res.body.path_with_namespace).toBe('grp/priv');
    expect((await t.http().get(`/api/v4/projects/${res.body.id}`).set(adm)).body).toEqual(res.body);
    for (const id of ['999999', 'grp%2Fnope', 'grp']) {
      const missing = await t.http().get(`/api/v4/projects/${id}`).set(adm);
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ message: '404 Project Not Found' });
    }
  });

  it('PUT updates fields; a new path renames with a redirect route; default_branch "" clears it', async () => {
    const p = await createProject(t, grp, 'oldname');
    const res = await t.http().put(`/api/v4/projects/${p.id}`).set(adm).send({ path: 'newname', name: 'New', visibility: 'public', default_branch: '' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'New', path: 'newname', path_with_namespace: 'grp/newname', visibility: 'public', default_branch: null, web_url: 'http://gitlab.test/grp/newname' });
    expect(await t.dataSource.query(`SELECT source_type, source_id FROM redirect_routes WHERE path = 'grp/oldname'`)).toEqual([{ source_type: 'Project', source_id: Number(p.id) }]);
    // a new project at the old path releases the redirect route
    expect((await post({ path: 'oldname', namespace_id: grp.id })).status).toBe(201);
    expect(await t.dataSource.query(`SELECT 1 FROM redirect_routes WHERE path = 'grp/oldname'`)).toEqual([]);
    const taken = await t.http().put(`/api/v4/projects/${p.id}`).set(adm).send({ path: 'priv' });
    expect(taken.status).toBe(400);
    expect(taken.body).toEqual({ message: { path: ['has already been taken'] } });
    const missing = await t.http().put('/api/v4/projects/999999').set(adm).send({ name: 'x' });
    expect(missing.status).toBe(404);
  });

  it('archive and unarchive answer 201 with the project', async () => {
    const p = await createProject(t, grp, 'archivable');
    const a = await t.http().post(`/api/v4/projects/${p.id}/archive`).set(adm);
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ id: Number(p.id), archived: true });
    expect((await t.http().post(`/api/v4/projects/grp%2Farchivable/archive`).set(adm)).body.archived).toBe(true);
    const u = await t.http().post(`/api/v4/projects/${p.id}/unarchive`).set(adm);
    expect(u.status).toBe(201);
    expect(u.body.archived).toBe(false);
    expect((await t.http().post('/api/v4/projects/999999/archive').set(adm)).status).toBe(404);
  });

  it('DELETE answers 202, marks pending_delete at once; the job removes the row, its members and routes', async () => {
    const created = await post({ path: 'doomed', namespace_id: grp.id, repository_storage: 'local' });
    const id = created.body.id;
    const member = await createUser(t, 'doomedmember');
    await t.http().post(`/api/v4/projects/${id}/members`).set(adm).send({ user_id: member.id, access_level: 30 }).expect(201);
    await t.dataSource.query(`INSERT INTO redirect_routes (source_type, source_id, path) VALUES ('Project', $1, 'grp/doomed-old')`, [id]);
    const repo = join(storageDir, `${hashedDiskPath(id)}.git`);
    expect(existsSync(repo)).toBe(true);
    const res = await t.http().delete(`/api/v4/projects/${id}`).set(adm);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ message: '202 Accepted' });
    expect((await t.http().get(`/api/v4/projects/${id}`).set(adm)).status).toBe(404);
    expect((await t.http().delete(`/api/v4/projects/${id}`).set(adm)).status).toBe(404);
    await t.get<JobQueue>(queueToken(PROJECT_DELETION_QUEUE)).whenIdle(10_000);
    expect(await t.dataSource.query(`SELECT 1 FROM projects WHERE id = $1`, [id])).toEqual([]);
    expect(await t.dataSource.query(`SELECT 1 FROM members WHERE source_type = 'Project' AND source_id = $1`, [id])).toEqual([]);
    expect(await t.dataSource.query(`SELECT 1 FROM redirect_routes WHERE path = 'grp/doomed-old'`)).toEqual([]);
    expect(existsSync(repo)).toBe(false);
  });

  describe('members', () => {
    it('adds, reads, lists, updates and removes a project member; level 5 is for groups only', async () => {
      const p = await createProject(t, grp, 'teamproj');
      const u = await createUser(t, 'pmember');
      const minimal = await t.http().post(`/api/v4/projects/${p.id}/members`).set(adm).send({ user_id: u.id, access_level: 5 });
      expect(minimal.status).toBe(400);
      expect(minimal.body).toEqual({ error: 'access_level does not have a valid value' });
      const add = await t.http().post('/api/v4/projects/grp%2Fteamproj/members').set(adm).send({ user_id: u.id, access_level: 10, expires_at: '2099-01-01' });
      expect(add.status).toBe(201);
      expect(add.body).toEqual({ id: Number(u.id), username: 'pmember', name: 'Pmember Example', state: 'active', access_level: 10, expires_at: '2099-01-01', membership_state: 'active' });
      expect((await t.http().post(`/api/v4/projects/${p.id}/members`).set(adm).send({ user_id: u.id, access_level: 30 })).status).toBe(409);
      const list = await t.http().get(`/api/v4/projects/${p.id}/members`).set(adm);
      expect(list.body).toEqual([add.body]);
      expect(list.headers['x-total']).toBe('1');
      const put = await t.http().put(`/api/v4/projects/${p.id}/members/${u.id}`).set(adm).send({ access_level: 40, expires_at: null });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ access_level: 40, expires_at: null });
      expect((await t.http().get(`/api/v4/projects/${p.id}/members/${u.id}`).set(adm)).body).toEqual(put.body);
      expect((await t.http().delete(`/api/v4/projects/${p.id}/members/${u.id}`).set(adm)).status).toBe(204);
      const gone = await t.http().get(`/api/v4/projects/${p.id}/members/${u.id}`).set(adm);
      expect(gone.status).toBe(404);
      expect(gone.body).toEqual({ message: '404 Member Not Found' });
      const noProject = await t.http().post('/api/v4/projects/999999/members').set(adm).send({ user_id: u.id, access_level: 30 });
      expect(noProject.status).toBe(404);
      expect(noProject.body).toEqual({ message: '404 Project Not Found' });
    });

    it('group memberships are not direct project members', async () => {
      const p = await createProject(t, grp, 'inherited');
      const u = await createUser(t, 'groupie');
      await addMember(t, grp, u, 30);
      expect((await t.http().get(`/api/v4/projects/${p.id}/members/${u.id}`).set(adm)).status).toBe(404);
    });
  });

  it('bad input never produces a 5xx', async () => {
    const long = 'a'.repeat(300);
    const weird: unknown[] = [-1, 1.5, {}, ['x'], 'x\u0000y', long, '99999999999999999999999'];
    const routes: [string, string, string[]][] = [
      ['post', '/api/v4/users', ['email', 'name', 'username', 'password', 'admin', 'state', 'enterprise_group_id', 'provider', 'extern_uid', 'notification_email']],
      ['post', `/api/v4/users/${root.id}/keys`, ['title', 'key', 'expires_at', 'usage_type']],
      ['post', `/api/v4/users/${root.id}/personal_access_tokens`, ['name', 'scopes', 'expires_at']],
      ['post', '/api/v4/groups', ['name', 'path', 'parent_id', 'visibility', 'enabled_git_access_protocol']],
      ['put', `/api/v4/groups/${grp.id}`, ['name', 'path', 'visibility']],
      ['post', '/api/v4/projects', ['name', 'path', 'namespace_id', 'visibility', 'default_branch', 'repository_access_level', 'repository_storage', 'creator_id', 'archived']],
      ['post', `/api/v4/groups/${grp.id}/members`, ['user_id', 'access_level', 'expires_at', 'state', 'requested']],
      ['put', `/api/v4/users/${root.id}`, ['username', 'email', 'name']],
    ];
    const base: Record<string, unknown> = { email: 'fz@example.com', name: 'Fz', username: 'fz', title: 't', key: 'ssh-ed25519 AAAA', scopes: ['api'], path: 'fz', user_id: root.id, access_level: 30 };
    for (const [method, url, fields] of routes) {
      for (const field of fields) {
        for (const value of weird) {
          const res = await (t.http() as unknown as Record<string, (u: string) => import('supertest').Test>)[method](url).set(adm).send({ ...base, [field]: value });
          if (res.status >= 500) throw new Error(`${method} ${url} ${field}=${JSON.stringify(value)} → ${res.status}`);
        }
      }
    }
    for (const id of ['%00', 'a%00b', 'x'.repeat(2000), '-1', 'nope.git', '%2F%2F']) {
      for (const url of [`/api/v4/users/${id}`, `/api/v4/groups/${id}`, `/api/v4/projects/${id}`, `/api/v4/projects/${grp.id}/members/${id}`]) {
        const res = await t.http().get(url).set(adm);
        expect(`${url} ${res.status}`).toBe(`${url} 404`);
      }
    }
    const deep = await post({ path: 'p'.repeat(255), namespace_id: grp.id });
    expect(deep.status).toBe(201);
  });

  itRequiresAdmin(() => t, 'post', '/api/v4/projects', () => usr, { path: 'x' });
  itRequiresAdmin(() => t, 'get', '/api/v4/projects/1', () => usr);
  itRequiresAdmin(() => t, 'delete', '/api/v4/projects/1', () => usr);
  itRequiresAdmin(() => t, 'post', '/api/v4/projects/1/members', () => usr, { user_id: 1, access_level: 30 });
});
