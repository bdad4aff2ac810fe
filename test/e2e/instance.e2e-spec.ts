import { Lifecycle } from '../../src/instance/lifecycle.service';
import { shellJwt } from '../helpers/jwt';
import { createTestApp, TestApp } from '../helpers/test-app';

describe('probes, metrics and bootstrap', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ ROOT_ACCESS_TOKEN: 'glpat-root-bootstrap-0001' });
  });
  afterAll(() => t.close());

  it('liveness and readiness answer 200 without credentials', async () => {
    expect((await t.http().get('/-/liveness')).status).toBe(200);
    const ready = await t.http().get('/-/readiness');
    expect(ready.status).toBe(200);
    expect(ready.body.info.database.status).toBe('up');
  });

  it('metrics label requests by route template, never by raw URL', async () => {
    await t.http().get('/api/v4/internal/check').set('Gitlab-Shell-Api-Request', shellJwt());
    await t.http().get('/api/v4/internal/nothing-here-123');
    const res = await t.http().get('/-/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/api\/v4\/internal\/check"[^}]*status="200"[^}]*\}/);
    expect(res.text).toMatch(/route="unmatched"/);
    expect(res.text).not.toContain('nothing-here-123');
  });

  it('ROOT_ACCESS_TOKEN creates an admin root holding that token', async () => {
    const rows = await t.dataSource.query(
      `SELECT u.username, u.admin, p.scopes FROM users u JOIN personal_access_tokens p ON p.user_id = u.id WHERE u.username = 'root'`,
    );
    expect(rows).toEqual([{ username: 'root', admin: true, scopes: ['api', 'admin_mode'] }]);
    const stored = await t.dataSource.query(`SELECT token_digest FROM personal_access_tokens`);
    expect(JSON.stringify(stored)).not.toContain('glpat-root-bootstrap-0001');
  });

  it('readiness turns 503 while draining', async () => {
    t.get<Lifecycle>(Lifecycle).startDraining();
    const res = await t.http().get('/-/readiness');
    expect(res.status).toBe(503);
  });
});
