import { createHmac } from 'node:crypto';
import { Project } from '../../../src/namespaces/entities/project.entity';
import { Key } from '../../../src/identity/entities/key.entity';
import { itRejectsWithoutShellJwt } from '../../helpers/auth-examples';
import { buildFixtures, Fixtures, J, post } from '../git-access/fixtures';

describe('LFS', () => {
  let f: Fixtures;
  beforeAll(async () => {
    f = await buildFixtures();
    await f.t.dataSource.query(`UPDATE users SET encrypted_password = $2 WHERE id = $1`, [f.users.alice.id, '$2a$10$abcdefghijklmnopqrstuv0123456789ABCDEFGHIJKLMNOPQRSTU']);
  });
  afterAll(() => f.close());

  const lfsAuth = (body: object) => post(f.t, '/lfs_authenticate', body);
  const decode = (token: string) => {
    const [h, p, s] = token.split('.');
    return { header: JSON.parse(Buffer.from(h, 'base64url').toString()), payload: JSON.parse(Buffer.from(p, 'base64url').toString()), signed: `${h}.${p}`, signature: s };
  };
  const hmac = (key: string, data: string) => createHmac('sha256', key).update(data).digest('base64url');

  it('#71 a user key gets a token for the user', async () => {
    const res = await lfsAuth({ operation: 'download', project: 'grp/priv.git', key_id: String(f.keys.alice.id) });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['username', 'lfs_token', 'repository_http_path', 'expires_in']);
    expect(res.body).toMatchObject({ username: 'alice', repository_http_path: 'http://gitlab.test/grp/priv.git', expires_in: 7200 });
    const token = decode(res.body.lfs_token);
    expect(token.header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(Object.keys(token.payload)).toEqual(['data', 'jti', 'iat', 'nbf', 'exp']);
    expect(token.payload.data).toEqual({ actor: 'alice', container_gid: `gid://gitlab/Project/${f.priv.id}` });
    expect(token.payload.exp - token.payload.iat).toBe(7200);
    expect(token.payload.nbf).toBe(token.payload.iat - 5);
    expect(token.payload.jti).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const [row] = await f.t.dataSource.query(`SELECT encrypted_password FROM users WHERE id = $1`, [f.users.alice.id]);
    const key = `${f.users.alice.id}${row.encrypted_password.slice(-16)}${'test-db-key-base-0123456789abcdef'.slice(0, 16)}`;
    expect(token.signature).toBe(hmac(key, token.signed));
  });

  it('#72 user_id, a deploy key, a user without membership (no access check here)', async () => {
    const byUser = await lfsAuth({ operation: 'upload', project: 'grp/priv.git', user_id: String(f.users.alice.id) });
    expect({ status: byUser.status, username: byUser.body.username }).toEqual({ status: 200, username: 'alice' });
    const byDeployKey = await lfsAuth({ operation: 'upload', project: 'grp/priv.git', key_id: String(f.dk.ro.id) });
    expect({ status: byDeployKey.status, username: byDeployKey.body.username }).toEqual({ status: 200, username: `lfs+deploy-key-${f.dk.ro.id}` });
    const token = decode(byDeployKey.body.lfs_token);
    expect(token.payload.data.actor).toBe(`lfs+deploy-key-${f.dk.ro.id}`);
    expect(token.signature).toBe(hmac(`${f.dk.ro.fingerprint_sha256.slice(0, 16)}${'test-db-key-base-0123456789abcdef'.slice(0, 32)}`, token.signed));
    const byEve = await lfsAuth({ operation: 'upload', project: 'grp/priv.git', key_id: String(f.keys.eve.id) });
    expect({ status: byEve.status, username: byEve.body.username }).toEqual({ status: 200, username: 'eve' });
  });

  it('#73 no actor, unknown key → 404 Not found; LFS off or unknown project → 404 Not Found', async () => {
    for (const body of [{ project: 'grp/priv.git' }, { project: 'grp/priv.git', key_id: '999999' }]) {
      const res = await lfsAuth(body);
      expect({ status: res.status, body: res.body }).toEqual({ status: 404, body: { message: '404 Not found' } });
    }
    await f.t.dataSource.getRepository(Project).update(f.priv.id, { lfs_enabled: false });
    try {
      const off = await lfsAuth({ project: 'grp/priv.git', key_id: String(f.keys.alice.id) });
      expect({ status: off.status, body: off.body }).toEqual({ status: 404, body: { message: '404 Not Found' } });
    } finally {
      await f.t.dataSource.getRepository(Project).update(f.priv.id, { lfs_enabled: true });
    }
    const unknown = await lfsAuth({ project: 'no/such.git', key_id: String(f.keys.alice.id) });
    expect({ status: unknown.status, body: unknown.body }).toEqual({ status: 404, body: { message: '404 Not Found' } });
    const wiki = await lfsAuth({ gl_repository: `wiki-${f.priv.id}`, key_id: String(f.keys.alice.id) });
    expect({ status: wiki.status, body: wiki.body }).toEqual({ status: 404, body: { message: '404 Not Found' } });
  });

  it('gl_repository designates the project; key last-used tracking happens', async () => {
    await f.t.dataSource.getRepository(Key).update(f.keys.mia.id, { last_used_at: null });
    const res = await lfsAuth({ gl_repository: `project-${f.pub.id}`, key_id: String(f.keys.mia.id) });
    expect(res.status).toBe(200);
    expect(res.body.repository_http_path).toBe('http://gitlab.test/grp/pub.git');
    const [row] = await f.t.dataSource.query(`SELECT last_used_at FROM keys WHERE id = $1`, [f.keys.mia.id]);
    expect(row.last_used_at).not.toBeNull();
  });

  it('#73 GET /lfs: missing parameters, malformed gl_repository, otherwise 404', async () => {
    const missing = await f.t.http().get('/api/v4/internal/lfs').set(J()).set('Content-Type', 'application/json');
    expect({ status: missing.status, body: missing.body }).toEqual({ status: 400, body: { error: 'oid is missing, gl_repository is missing' } });
    const onlyOid = await f.t.http().get(`/api/v4/internal/lfs?oid=${'a'.repeat(64)}`).set(J());
    expect(onlyOid.body).toEqual({ error: 'gl_repository is missing' });
    const malformed = await f.t.http().get(`/api/v4/internal/lfs?oid=${'a'.repeat(64)}&gl_repository=project-foo`).set(J());
    expect({ status: malformed.status, body: malformed.body }).toEqual({ status: 400, body: { message: '400 Bad request - Invalid GL Repository "project-foo"' } });
    const res = await f.t.http().get(`/api/v4/internal/lfs?oid=${'a'.repeat(64)}&gl_repository=project-${f.priv.id}`).set(J());
    expect({ status: res.status, body: res.body }).toEqual({ status: 404, body: { message: '404 Not Found' } });
  });

  itRejectsWithoutShellJwt(() => f.t, 'post', '/api/v4/internal/lfs_authenticate', { project: 'grp/priv.git', key_id: '1' });
  itRejectsWithoutShellJwt(() => f.t, 'get', `/api/v4/internal/lfs?oid=${'a'.repeat(64)}&gl_repository=project-1`);
});
