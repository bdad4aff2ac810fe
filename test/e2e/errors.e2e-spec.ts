/** The wire format of errors that no single module owns. */
import { createAdmin } from '../helpers/factories';
import { createTestApp, TestApp } from '../helpers/test-app';

describe('error shapes', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp();
    admin = (await createAdmin(t)).headers;
  });
  afterAll(() => t.close());

  it('unknown routes and methods under /api/v4 → catch-all 404 before authentication', async () => {
    for (const res of [await t.http().get('/api/v4/nothing'), await t.http().patch('/api/v4/internal/check'), await t.http().delete('/api/v4/users')]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: '404 Not Found' });
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    }
  });

  it('input the database cannot store (a NUL character) is a 400, never a 500', async () => {
    const res = await t.http().get('/api/v4/groups/a%00b').set(admin);
    expect(res.status).toBeLessThan(500);
    expect([400, 404]).toContain(res.status);
  });

  it('a body over the SCIM limit of 1 MiB → 413 in the SCIM error shape (after authentication)', async () => {
    const issued = await t.http().post('/api/v4/application/scim/token').set(admin);
    expect(issued.status).toBe(201);
    const body = JSON.stringify({ a: 'x'.repeat(1_100_000) });
    const anonymous = await t.http().post('/api/scim/v2/application/Users').set('Content-Type', 'application/scim+json').send(body);
    expect(anonymous.status).toBe(401);
    const res = await t.http().post('/api/scim/v2/application/Users').set('Authorization', `Bearer ${issued.body.token}`).set('Content-Type', 'application/scim+json').send(body);
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toBe('application/scim+json; charset=utf-8');
    expect(res.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
  });

  it('form bodies are merged with the query string, the body winning', async () => {
    const res = await t.http().post('/api/v4/groups?name=fromquery&path=qgroup').set(admin).type('form').send('name=frombody');
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('frombody');
    expect(res.body.path).toBe('qgroup');
  });
});
