import { itRequiresAdmin } from '../../helpers/auth-examples';
import { addUserKey, createAdmin, createPat, createUser, newSshPublicKey } from '../../helpers/factories';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { KeysService } from '../../../src/identity/keys.service';
import { User } from '../../../src/identity/entities/user.entity';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const dayOffset = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('admin SSH keys and personal access tokens', () => {
  let t: TestApp;
  let adm: Record<string, string>;
  let usr: string;
  let alice: User;
  let bob: User;
  let kbob: string;

  beforeAll(async () => {
    t = await createTestApp();
    adm = (await createAdmin(t)).headers;
    alice = await createUser(t, 'alice');
    bob = await createUser(t, 'bob');
    kbob = newSshPublicKey('bob@laptop');
    await addUserKey(t, bob, { key: kbob });
    usr = await createPat(t, alice);
  });
  afterAll(() => t.close());

  describe('SSH keys', () => {
    it('adds a key: 201 with the entity (owner name and host as comment)', async () => {
      const material = newSshPublicKey('alice@laptop');
      const res = await t.http().post(`/api/v4/users/${alice.id}/keys`).set(adm).send({ title: 'laptop', key: material, usage_type: 'auth' });
      expect(res.status).toBe(201);
      const [type, blob] = material.split(' ');
      expect(res.body).toEqual({ id: expect.any(Number), title: 'laptop', created_at: expect.stringMatching(ISO), expires_at: null, key: `${type} ${blob} Alice Example (gitlab.test)`, usage_type: 'auth' });
      expect(Object.keys(res.body)).toEqual(['id', 'title', 'created_at', 'expires_at', 'key', 'usage_type']);
      const row = (await t.dataSource.query(`SELECT type, user_id, key, usage_type FROM keys WHERE id = $1`, [res.body.id]))[0];
      expect(row).toEqual({ type: 'Key', user_id: Number(alice.id), key: material, usage_type: 'auth' });
    });

    it('#92 the material of another user key → 400 fingerprint_sha256 has already been taken', async () => {
      const res = await t.http().post(`/api/v4/users/${alice.id}/keys`).set(adm).send({ title: 'stolen', key: kbob });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ message: { fingerprint_sha256: ['has already been taken'] } });
    });

    it('the material of a deploy key is taken too', async () => {
      const material = newSshPublicKey('deploy');
      await t.get<KeysService>(KeysService).add({ type: 'DeployKey', userId: null, title: 'dk', key: material });
      const res = await t.http().post(`/api/v4/users/${alice.id}/keys`).set(adm).send({ title: 'x', key: material });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ message: { fingerprint_sha256: ['has already been taken'] } });
    });

    it('invalid key, usage_type, expires_at and missing parameters', async () => {
      const url = `/api/v4/users/${alice.id}/keys`;
      const invalid = await t.http().post(url).set(adm).send({ title: 'x', key: 'ssh-ed25519 AAAAnotakey' });
      expect(invalid.status).toBe(400);
      expect(invalid.body).toEqual({ message: { key: ['is invalid'] } });
      const usage = await t.http().post(url).set(adm).send({ title: 'x', key: newSshPublicKey(), usage_type: 'everything' });
      expect(usage.status).toBe(400);
      expect(usage.body).toEqual({ error: 'usage_type does not have a valid value' });
      const missing = await t.http().post(url).set(adm).send({});
      expect(missing.body).toEqual({ error: 'title is missing, key is missing' });
      const date = await t.http().post(url).set(adm).send({ title: 'x', key: newSshPublicKey(), expires_at: 'soon' });
      expect(date.body).toEqual({ error: 'expires_at is invalid' });
      const unknown = await t.http().post('/api/v4/users/999999/keys').set(adm).send({ title: 'x', key: newSshPublicKey() });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({ message: '404 User Not Found' });
    });

    it('accepts an expiry in the past (clarification 3) and renders it as a timestamp', async () => {
      const res = await t.http().post(`/api/v4/users/${alice.id}/keys`).set(adm).send({ title: 'old', key: newSshPublicKey(), expires_at: '2020-01-02' });
      expect(res.status).toBe(201);
      expect(res.body.expires_at).toBe('2020-01-02T00:00:00.000Z');
      expect(res.body.usage_type).toBe('auth_and_signing');
    });

    it('lists (paginated) and deletes keys; unknown key → 404 Key Not Found', async () => {
      const u = await createUser(t, 'keyring');
      const k1 = await addUserKey(t, u, { title: 'one' });
      await addUserKey(t, u, { title: 'two' });
      const list = await t.http().get(`/api/v4/users/${u.id}/keys?per_page=1&page=2`).set(adm);
      expect(list.status).toBe(200);
      expect(list.body.map((k: { title: string }) => k.title)).toEqual(['two']);
      expect(list.headers['x-total']).toBe('2');
      expect(list.headers['x-prev-page']).toBe('1');
      const del = await t.http().delete(`/api/v4/users/${u.id}/keys/${k1.id}`).set(adm);
      expect(del.status).toBe(204);
      expect((await t.dataSource.query(`SELECT 1 FROM keys WHERE id = $1`, [k1.id])).length).toBe(0);
      const again = await t.http().delete(`/api/v4/users/${u.id}/keys/${k1.id}`).set(adm);
      expect(again.status).toBe(404);
      expect(again.body).toEqual({ message: '404 Key Not Found' });
      const bobsKey = (await t.dataSource.query(`SELECT id FROM keys WHERE user_id = $1`, [bob.id]))[0].id;
      const foreign = await t.http().delete(`/api/v4/users/${u.id}/keys/${bobsKey}`).set(adm);
      expect(foreign.status).toBe(404);
      expect((await t.http().delete(`/api/v4/users/${u.id}/keys/abc`).set(adm)).status).toBe(404);
    });
  });

  describe('personal access tokens', () => {
    it('creates a token: 201 entity with the clear token once; it authenticates; only its digest is stored', async () => {
      const admin2 = await createUser(t, 'admin2', { admin: true });
      const res = await t.http().post(`/api/v4/users/${admin2.id}/personal_access_tokens`).set(adm).send({ name: 'ci', scopes: ['api', 'admin_mode'], expires_at: dayOffset(30) });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body)).toEqual(['id', 'name', 'revoked', 'created_at', 'scopes', 'user_id', 'last_used_at', 'active', 'expires_at', 'token']);
      expect(res.body).toEqual({
        id: expect.any(Number),
        name: 'ci',
        revoked: false,
        created_at: expect.stringMatching(ISO),
        scopes: ['api', 'admin_mode'],
        user_id: Number(admin2.id),
        last_used_at: null,
        active: true,
        expires_at: dayOffset(30),
        token: expect.stringMatching(/^glpat-[A-Za-z0-9_-]{20}$/),
      });
      const row = (await t.dataSource.query(`SELECT token_digest FROM personal_access_tokens WHERE id = $1`, [res.body.id]))[0];
      expect(row.token_digest).toMatch(/^[0-9a-f]{64}$/);
      expect(row.token_digest).not.toContain(res.body.token);
      expect((await t.http().get(`/api/v4/users/${alice.id}`).set('PRIVATE-TOKEN', res.body.token)).status).toBe(200);

      const revoke = await t.http().delete(`/api/v4/personal_access_tokens/${res.body.id}`).set(adm);
      expect(revoke.status).toBe(204);
      expect((await t.dataSource.query(`SELECT revoked FROM personal_access_tokens WHERE id = $1`, [res.body.id]))[0].revoked).toBe(true);
      const after = await t.http().get(`/api/v4/users/${alice.id}`).set('PRIVATE-TOKEN', res.body.token);
      expect(after.status).toBe(401);
      expect((await t.http().delete(`/api/v4/personal_access_tokens/${res.body.id}`).set(adm)).status).toBe(204);
    });

    it('form arrays scopes[]= work; sudo is allowed', async () => {
      const res = await t.http().post(`/api/v4/users/${alice.id}/personal_access_tokens`).set(adm).type('form').send('name=f&scopes[]=read_api&scopes[]=sudo');
      expect(res.status).toBe(201);
      expect(res.body.scopes).toEqual(['read_api', 'sudo']);
    });

    it('without expires_at the expiry is today + 365 days (setting on), none when the setting is off', async () => {
      const res = await t.http().post(`/api/v4/users/${alice.id}/personal_access_tokens`).set(adm).send({ name: 'n', scopes: ['api'] });
      expect(res.body.expires_at).toBe(dayOffset(365));
      await t.dataSource.query(`UPDATE application_settings SET require_personal_access_token_expiry = false`);
      try {
        const free = await t.http().post(`/api/v4/users/${alice.id}/personal_access_tokens`).set(adm).send({ name: 'n', scopes: ['api'], expires_at: dayOffset(800) });
        expect(free.status).toBe(201);
        expect(free.body.expires_at).toBe(dayOffset(800));
        const none = await t.http().post(`/api/v4/users/${alice.id}/personal_access_tokens`).set(adm).send({ name: 'n', scopes: ['api'] });
        expect(none.body.expires_at).toBeNull();
      } finally {
        await t.dataSource.query(`UPDATE application_settings SET require_personal_access_token_expiry = true`);
      }
    });

    it('expiry beyond today + 365 → 400 must be before; today + 365 and past dates are accepted', async () => {
      const url = `/api/v4/users/${alice.id}/personal_access_tokens`;
      const late = await t.http().post(url).set(adm).send({ name: 'n', scopes: ['api'], expires_at: dayOffset(366) });
      expect(late.status).toBe(400);
      expect(late.body).toEqual({ message: { expires_at: [`must be before ${dayOffset(365)}`] } });
      expect((await t.http().post(url).set(adm).send({ name: 'n', scopes: ['api'], expires_at: dayOffset(365) })).status).toBe(201);
      const past = await t.http().post(url).set(adm).send({ name: 'n', scopes: ['api'], expires_at: '2020-01-01' });
      expect(past.status).toBe(201);
      expect(past.body.active).toBe(false);
    });

    it('invalid scopes, dates and missing parameters', async () => {
      const url = `/api/v4/users/${alice.id}/personal_access_tokens`;
      expect((await t.http().post(url).set(adm).send({ name: 'n', scopes: ['api', 'ai_features'] })).body).toEqual({ error: 'scopes does not have a valid value' });
      expect((await t.http().post(url).set(adm).send({})).body).toEqual({ error: 'name is missing, scopes is missing' });
      expect((await t.http().post(url).set(adm).send({ name: 'n', scopes: ['api'], expires_at: '2026-02-30' })).body).toEqual({ error: 'expires_at is invalid' });
      const empty = await t.http().post(url).set(adm).send({ name: 'n', scopes: [] });
      expect(empty.status).toBe(400);
      expect(empty.body).toEqual({ message: { scopes: ["can't be blank"] } });
      const long = await t.http().post(url).set(adm).send({ name: 'x'.repeat(256), scopes: ['api'] });
      expect(long.body).toEqual({ message: { name: ['is too long (maximum is 255 characters)'] } });
      const unknown = await t.http().post('/api/v4/users/999999/personal_access_tokens').set(adm).send({ name: 'n', scopes: ['api'] });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({ message: '404 User Not Found' });
    });

    it('revoking an unknown token → 404 Not found', async () => {
      for (const id of ['999999', 'abc']) {
        const res = await t.http().delete(`/api/v4/personal_access_tokens/${id}`).set(adm);
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ message: '404 Not found' });
      }
    });
  });

  itRequiresAdmin(() => t, 'post', '/api/v4/users/1/keys', () => usr, { title: 'x', key: 'y' });
  itRequiresAdmin(() => t, 'get', '/api/v4/users/1/keys', () => usr);
  itRequiresAdmin(() => t, 'post', '/api/v4/users/1/personal_access_tokens', () => usr, { name: 'x', scopes: ['api'] });
  itRequiresAdmin(() => t, 'delete', '/api/v4/personal_access_tokens/1', () => usr);
});
