import { writeFileSync } from 'node:fs';
import { itRejectsWithoutShellJwt } from '../helpers/auth-examples';
import { SHELL_SECRET, shellJwt } from '../helpers/jwt';
import { createTestApp, TestApp } from '../helpers/test-app';

describe('GET /api/v4/internal/check and the shell JWT', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const now = () => Math.floor(Date.now() / 1000);
  const check = (headers: Record<string, string>) => t.http().get('/api/v4/internal/check').set(headers);

  it('#1 answers versions and the Redis status with a JSON content type', async () => {
    const res = await check({ 'Gitlab-Shell-Api-Request': shellJwt(), 'Content-Type': 'application/json' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual({
      api_version: 'v4',
      gitlab_version: '17.11.0',
      gitlab_rev: 'abc1234',
      redis: Boolean(process.env.REDIS_URL),
      gitlab_revision: 'abc1234',
    });
    expect(Object.keys(res.body)).toEqual(['api_version', 'gitlab_version', 'gitlab_rev', 'redis', 'gitlab_revision']);
    expect(res.headers['x-request-id']).toMatch(/.+/);
  });

  it('echoes the X-Request-Id it was given', async () => {
    const res = await check({ 'Gitlab-Shell-Api-Request': shellJwt(), 'X-Request-Id': 'req-123' });
    expect(res.headers['x-request-id']).toBe('req-123');
  });

  it('#4 tolerates 60 s of clock skew on exp and ignores a future iat', async () => {
    expect((await check({ 'Gitlab-Shell-Api-Request': shellJwt({ iat: now() + 10, exp: now() + 70 }) })).status).toBe(200);
    expect((await check({ 'Gitlab-Shell-Api-Request': shellJwt({ exp: now() - 30 }) })).status).toBe(200);
    const expired = await check({ 'Gitlab-Shell-Api-Request': shellJwt({ exp: now() - 61 }) });
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ message: '401 Unauthorized' });
  });

  it('#5 nbf within 60 s passes, beyond fails', async () => {
    expect((await check({ 'Gitlab-Shell-Api-Request': shellJwt({ nbf: now() + 30 }) })).status).toBe(200);
    expect((await check({ 'Gitlab-Shell-Api-Request': shellJwt({ nbf: now() + 120 }) })).status).toBe(401);
  });

  it('#6 rejects another or a missing issuer', async () => {
    expect((await check({ 'Gitlab-Shell-Api-Request': shellJwt({ iss: 'gitlab-workhorse' }) })).status).toBe(401);
    expect((await check({ 'Gitlab-Shell-Api-Request': shellJwt({ iss: undefined }) })).status).toBe(401);
  });

  it('#7 rejects alg none, HS512 and a wrong key', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ iss: 'gitlab-shell', iat: now(), exp: now() + 60 })).toString('base64url');
    expect((await check({ 'Gitlab-Shell-Api-Request': `${header}.${payload}.` })).status).toBe(401);
    expect((await check({ 'Gitlab-Shell-Api-Request': shellJwt({}, SHELL_SECRET, 'HS512') })).status).toBe(401);
    expect((await check({ 'Gitlab-Shell-Api-Request': shellJwt({}, 'wrong') })).status).toBe(401);
  });

  it('#8 ignores extra claims and other credentials', async () => {
    expect((await check({ 'Gitlab-Shell-Api-Request': shellJwt({ gl_id: 'user-1' }) })).status).toBe(200);
    expect((await check({ 'Gitlab-Shell-Api-Request': shellJwt(), Authorization: 'Basic dXNlcjpwYXNz' })).status).toBe(200);
  });

  it('#9 without LEGACY_SHARED_SECRET_AUTH the shared secret is refused', async () => {
    for (const res of [
      await check({}),
      await check({ 'Gitlab-Shared-Secret': 'czNjcjN0' }),
      await t.http().get('/api/v4/internal/check?secret_token=s3cr3t'),
    ]) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ message: '401 Unauthorized' });
      expect(res.headers['www-authenticate']).toBeUndefined();
    }
  });

  it('#11 unknown internal route → catch-all 404 before authentication', async () => {
    const res = await t.http().get('/api/v4/internal/nonexistent');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: '404 Not Found' });
  });

  it('#12 broken JSON is read only after authentication: 401 without the shell JWT, 400 Invalid JSON body with it', async () => {
    const anonymous = await t.http().post('/api/v4/internal/allowed').set('Content-Type', 'application/json').send('{');
    expect({ status: anonymous.status, body: anonymous.body }).toEqual({ status: 401, body: { message: '401 Unauthorized' } });
    const res = await t.http().post('/api/v4/internal/allowed').set('Gitlab-Shell-Api-Request', shellJwt()).set('Content-Type', 'application/json').send('{');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: '400 Bad request - Invalid JSON body' });
  });

  it('accepts a trailing slash without redirecting', async () => {
    const res = await check({ 'Gitlab-Shell-Api-Request': shellJwt() }).redirects(0);
    const slash = await t.http().get('/api/v4/internal/check/').set('Gitlab-Shell-Api-Request', shellJwt()).redirects(0);
    expect(res.status).toBe(200);
    expect(slash.status).toBe(200);
  });

  itRejectsWithoutShellJwt(() => t, 'get', '/api/v4/internal/check');
});

describe('shell JWT key handling', () => {
  it('#3 trims the secret file; #10 legacy shared secret when enabled; #2 RELATIVE_URL_ROOT', async () => {
    const t = await createTestApp({ LEGACY_SHARED_SECRET_AUTH: 'true', RELATIVE_URL_ROOT: '/gitlab' });
    try {
      writeFileSync(t.config.gitlabShellSecretFile, '  s3cr3t \r\n');
      const t2 = await createTestApp({
        LEGACY_SHARED_SECRET_AUTH: 'true',
        RELATIVE_URL_ROOT: '/gitlab',
        GITLAB_SHELL_SECRET_FILE: t.config.gitlabShellSecretFile,
      });
      try {
        const ok = await t2.http().get('/api/v4/internal/check').set('Gitlab-Shell-Api-Request', shellJwt());
        expect(ok.status).toBe(200);
        const prefixed = await t2.http().get('/gitlab/api/v4/internal/check').set('Host', 'unix').set('Gitlab-Shell-Api-Request', shellJwt()).redirects(0);
        expect(prefixed.status).toBe(200);
        expect((await t2.http().get('/api/v4/internal/check').set('Gitlab-Shared-Secret', 'czNjcjN0')).status).toBe(200);
        expect((await t2.http().get('/api/v4/internal/check?secret_token=s3cr3t')).status).toBe(200);
        expect((await t2.http().get('/api/v4/internal/check?secret_token=czNjcjN0')).status).toBe(401);
      } finally {
        await t2.close();
      }
    } finally {
      await t.close();
    }
  });

  it('accepts the previous secret during a rotation', async () => {
    const t = await createTestApp();
    try {
      writeFileSync(`${t.config.gitlabShellSecretFile}.old`, 'old-secret\n');
      const t2 = await createTestApp({ GITLAB_SHELL_PREVIOUS_SECRET_FILE: `${t.config.gitlabShellSecretFile}.old` });
      try {
        expect((await t2.http().get('/api/v4/internal/check').set('Gitlab-Shell-Api-Request', shellJwt({}, 'old-secret'))).status).toBe(200);
        expect((await t2.http().get('/api/v4/internal/check').set('Gitlab-Shell-Api-Request', shellJwt())).status).toBe(200);
        expect((await t2.http().get('/api/v4/internal/check').set('Gitlab-Shell-Api-Request', shellJwt({}, 'other'))).status).toBe(401);
      } finally {
        await t2.close();
      }
    } finally {
      await t.close();
    }
  });
});
