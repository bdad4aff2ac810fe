import { createAdmin, createUser } from '../../helpers/factories';
import { createTestApp, TestApp } from '../../helpers/test-app';

/**
 * Parameters are the request's own properties only: a `__proto__` (or `constructor` / `prototype`) key in a
 * JSON body, a form body or the query string never turns into a parameter.
 */
describe('prototype keys never become parameters', () => {
  let t: TestApp;
  let adm: Record<string, string>;
  let seq = 0;

  beforeAll(async () => {
    t = await createTestApp();
    adm = (await createAdmin(t)).headers;
  });
  afterAll(() => t.close());

  const isAdmin = async (id: number): Promise<boolean> => (await t.dataSource.query(`SELECT admin FROM users WHERE id = $1`, [id]))[0].admin;
  const fresh = () => {
    seq++;
    return { email: `proto${seq}@example.com`, name: `Proto ${seq}`, username: `proto${seq}`, password: 'secret123' };
  };
  // supertest would turn an object literal's `__proto__` into its prototype: send the JSON text itself
  const json = (fields: object, extra: string) => JSON.stringify(fields).replace(/^\{/, `{${extra},`);

  it('POST /users with {"__proto__":{"admin":true}} creates a regular user', async () => {
    const res = await t.http().post('/api/v4/users').set(adm).set('Content-Type', 'application/json').send(json(fresh(), '"__proto__":{"admin":true}'));
    expect(res.status).toBe(201);
    expect(res.body.is_admin).toBe(false);
    expect(await isAdmin(res.body.id)).toBe(false);
  });

  it('POST /users with constructor/prototype keys creates a regular user', async () => {
    const extra = '"constructor":{"prototype":{"admin":true}},"prototype":{"admin":true}';
    const res = await t.http().post('/api/v4/users').set(adm).set('Content-Type', 'application/json').send(json(fresh(), extra));
    expect(res.status).toBe(201);
    expect(res.body.is_admin).toBe(false);
    expect(await isAdmin(res.body.id)).toBe(false);
  });

  it('PUT /users/:id with {"__proto__":{"admin":"1"}} does not promote', async () => {
    const user = await createUser(t, `victim${++seq}`);
    const res = await t.http().put(`/api/v4/users/${user.id}`).set(adm).set('Content-Type', 'application/json').send(json({ name: 'Still Plain' }, '"__proto__":{"admin":"1"}'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Still Plain', is_admin: false });
    expect(await isAdmin(Number(user.id))).toBe(false);
  });

  it('PUT /users/:id with only a __proto__ key changes nothing', async () => {
    const user = await createUser(t, `victim${++seq}`);
    const res = await t.http().put(`/api/v4/users/${user.id}`).set(adm).set('Content-Type', 'application/json').send('{"__proto__":{"admin":true,"name":"Hijacked"}}');
    expect(res.status).toBe(200);
    expect(res.body.is_admin).toBe(false);
    expect(res.body.name).not.toBe('Hijacked');
    expect(await isAdmin(Number(user.id))).toBe(false);
  });

  it('a form body or query string with __proto__[admin] does not promote', async () => {
    const user = await createUser(t, `victim${++seq}`);
    const form = await t.http().put(`/api/v4/users/${user.id}`).set(adm).type('form').send('name=Form+Name&__proto__[admin]=true&constructor[prototype][admin]=true');
    expect(form.status).toBe(200);
    expect(form.body).toMatchObject({ name: 'Form Name', is_admin: false });
    const query = await t.http().put(`/api/v4/users/${user.id}?__proto__[admin]=true&name=Query+Name`).set(adm);
    expect(query.status).toBe(200);
    expect(query.body).toMatchObject({ name: 'Query Name', is_admin: false });
    expect(await isAdmin(Number(user.id))).toBe(false);
  });

  it('an explicit admin parameter still works for an admin caller', async () => {
    const res = await t.http().post('/api/v4/users').set(adm).set('Content-Type', 'application/json').send(json(fresh(), '"admin":true'));
    expect(res.status).toBe(201);
    expect(res.body.is_admin).toBe(true);
  });
});
