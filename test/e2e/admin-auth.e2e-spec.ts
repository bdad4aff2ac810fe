/** `@AdminAuth()`: which personal access tokens open the admin API, and the exact failures. */
import { createPat, createUser } from '../helpers/factories';
import { createTestApp, TestApp } from '../helpers/test-app';

describe('@AdminAuth() personal access tokens', () => {
  let t: TestApp;
  let path: string;
  const tok: Record<string, string> = {};
  beforeAll(async () => {
    t = await createTestApp();
    const admin = await createUser(t, 'boss', { admin: true });
    const user = await createUser(t, 'worker');
    const blocked = await createUser(t, 'blockedboss', { admin: true, state: 'blocked' });
    const deactivated = await createUser(t, 'sleepyboss', { admin: true, state: 'deactivated' });
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const today = new Date().toISOString().slice(0, 10);
    tok.admin = await createPat(t, admin, ['api']);
    tok.adminToday = await createPat(t, admin, ['api'], today);
    tok.adminExpired = await createPat(t, admin, ['api'], yesterday);
    tok.adminReadApi = await createPat(t, admin, ['read_api']);
    tok.adminRevoked = await createPat(t, admin, ['api']);
    await t.dataSource.query(`UPDATE personal_access_tokens SET revoked = true WHERE name = 'test' AND id = (SELECT max(id) FROM personal_access_tokens)`);
    tok.user = await createPat(t, user, ['api']);
    tok.blocked = await createPat(t, blocked, ['api']);
    tok.deactivated = await createPat(t, deactivated, ['api']);
    path = `/api/v4/users/${user.id}`;
  });
  afterAll(() => t.close());

  const get = (headers: Record<string, string>, url = path) => t.http().get(url).set(headers);

  it('accepts an active admin token from PRIVATE-TOKEN, Authorization: Bearer and private_token', async () => {
    expect((await get({ 'PRIVATE-TOKEN': tok.admin })).status).toBe(200);
    expect((await get({ Authorization: `Bearer ${tok.admin}` })).status).toBe(200);
    expect((await get({}, `${path}?private_token=${tok.admin}`)).status).toBe(200);
    expect((await get({ 'PRIVATE-TOKEN': tok.adminToday })).status).toBe(200);
  });

  it.each([
    ['no token', {}],
    ['empty header', { 'PRIVATE-TOKEN': '' }],
    ['unknown token', { 'PRIVATE-TOKEN': 'glpat-unknownunknownunkno' }],
    ['TOKEN header (doc error, never read)', { TOKEN: 'x' }],
  ])('401 for %s', async (_name, headers) => {
    const res = await get(headers as Record<string, string>);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: '401 Unauthorized' });
  });

  it.each(['adminExpired', 'adminRevoked', 'blocked', 'deactivated'])('401 for the %s token', async (name) => {
    const res = await get({ 'PRIVATE-TOKEN': tok[name] });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: '401 Unauthorized' });
  });

  it.each(['user', 'adminReadApi'])('403 for the %s token (not an admin, or no api scope)', async (name) => {
    const res = await get({ 'PRIVATE-TOKEN': tok[name] });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ message: '403 Forbidden' });
  });

  it('stores tokens only as SHA-256 digests', async () => {
    const rows: { token_digest: string }[] = await t.dataSource.query('SELECT token_digest FROM personal_access_tokens');
    for (const row of rows) expect(row.token_digest).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(tok.admin);
  });
});
