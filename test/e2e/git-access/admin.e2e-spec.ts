import { itRequiresAdmin } from '../../helpers/auth-examples';
import { createPat, newSshPublicKey } from '../../helpers/factories';
import { buildFixtures, Fixtures } from './fixtures';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('admin fixture routes of GitAccess', () => {
  let f: Fixtures;
  let userToken: string;
  beforeAll(async () => {
    f = await buildFixtures();
    userToken = await createPat(f.t, f.users.alice);
  });
  afterAll(() => f.close());

  const api = () => {
    const http = f.t.http();
    const h = f.admin.headers;
    return {
      get: (p: string) => http.get(`/api/v4${p}`).set(h),
      post: (p: string, body: object = {}) => http.post(`/api/v4${p}`).set(h).send(body),
      put: (p: string, body: object = {}) => http.put(`/api/v4${p}`).set(h).send(body),
      patch: (p: string, body: object = {}) => http.patch(`/api/v4${p}`).set(h).send(body),
      delete: (p: string) => http.delete(`/api/v4${p}`).set(h),
    };
  };

  describe('deploy keys', () => {
    it('POST /deploy_keys creates a key enabled nowhere, created by the calling admin by default', async () => {
      const material = newSshPublicKey('standalone');
      const res = await api().post('/deploy_keys', { title: 'standalone', key: material });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body)).toEqual(['id', 'title', 'key', 'fingerprint', 'fingerprint_sha256', 'usage_type', 'created_at', 'expires_at']);
      expect(res.body).toMatchObject({ title: 'standalone', key: material, usage_type: 'auth_and_signing', expires_at: null });
      expect(res.body.created_at).toMatch(ISO);
      const [row] = await f.t.dataSource.query(`SELECT type, user_id FROM keys WHERE id = $1`, [res.body.id]);
      expect(row).toEqual({ type: 'DeployKey', user_id: Number(f.users.root.id) });
      const missing = await api().post('/deploy_keys', {});
      expect({ status: missing.status, body: missing.body }).toEqual({ status: 400, body: { error: 'title is missing, key is missing' } });
      const bad = await api().post('/deploy_keys', { title: 'x', key: 'ssh-ed25519 notakey' });
      expect({ status: bad.status, body: bad.body }).toEqual({ status: 400, body: { message: { key: ['is invalid'] } } });
    });

    it('POST /projects/:id/deploy_keys creates and enables; same material enables the existing key; user-key material → 400', async () => {
      const material = newSshPublicKey('proj');
      const res = await api().post(`/projects/${f.pub.id}/deploy_keys`, { title: 'proj', key: material, can_push: true, user_id: f.users.mia.id, expires_at: '2099-01-01' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ title: 'proj', can_push: true, expires_at: '2099-01-01T00:00:00.000Z' });
      expect(Object.keys(res.body).pop()).toBe('can_push');
      const again = await api().post(`/projects/${encodeURIComponent('grp/int')}/deploy_keys`, { title: 'other title', key: material });
      expect(again.status).toBe(201);
      expect(again.body).toMatchObject({ id: res.body.id, title: 'proj', can_push: false });
      const unchanged = await api().post(`/projects/${f.pub.id}/deploy_keys`, { title: 'proj', key: material, can_push: false });
      expect(unchanged.body).toMatchObject({ id: res.body.id, can_push: true });
      const userKey = await api().post(`/projects/${f.pub.id}/deploy_keys`, { title: 'stolen', key: f.keys.bob.key });
      expect({ status: userKey.status, body: userKey.body }).toEqual({ status: 400, body: { message: { fingerprint_sha256: ['has already been taken'] } } });
      const noProject = await api().post('/projects/999999/deploy_keys', { title: 'x', key: newSshPublicKey() });
      expect({ status: noProject.status, body: noProject.body }).toEqual({ status: 404, body: { message: '404 Project Not Found' } });
    });

    it('enable, update and disable; the key disappears with its last project', async () => {
      const created = await api().post('/deploy_keys', { title: 'lifecycle', key: newSshPublicKey() });
      const id = created.body.id;
      const enabled = await api().post(`/projects/${f.pub.id}/deploy_keys/${id}/enable`);
      expect(enabled.status).toBe(201);
      expect(enabled.body).toMatchObject({ id, can_push: false });
      const unknown = await api().post(`/projects/${f.pub.id}/deploy_keys/999999/enable`);
      expect({ status: unknown.status, body: unknown.body }).toEqual({ status: 404, body: { message: '404 Deploy Key Not Found' } });
      const userKey = await api().post(`/projects/${f.pub.id}/deploy_keys/${f.keys.bob.id}/enable`);
      expect(userKey.status).toBe(404);
      const updated = await api().put(`/projects/${f.pub.id}/deploy_keys/${id}`, { can_push: 'true', title: 'renamed' });
      expect({ status: updated.status, can_push: updated.body.can_push, title: updated.body.title }).toEqual({ status: 200, can_push: true, title: 'renamed' });
      const notEnabled = await api().put(`/projects/${f.int.id}/deploy_keys/${id}`, { can_push: true });
      expect({ status: notEnabled.status, body: notEnabled.body }).toEqual({ status: 404, body: { message: '404 Deploy Key Not Found' } });
      await api().post(`/projects/${f.int.id}/deploy_keys/${id}/enable`);
      expect((await api().delete(`/projects/${f.pub.id}/deploy_keys/${id}`)).status).toBe(204);
      expect(await f.t.dataSource.query(`SELECT id FROM keys WHERE id = $1`, [id])).toHaveLength(1);
      expect((await api().delete(`/projects/${f.int.id}/deploy_keys/${id}`)).status).toBe(204);
      expect(await f.t.dataSource.query(`SELECT id FROM keys WHERE id = $1`, [id])).toHaveLength(0);
      const gone = await api().delete(`/projects/${f.int.id}/deploy_keys/${id}`);
      expect({ status: gone.status, body: gone.body }).toEqual({ status: 404, body: { message: '404 Deploy Key Not Found' } });
    });
  });

  describe('protected branches and tags', () => {
    it('#93 protecting main again → 409', async () => {
      const res = await api().post(`/projects/${f.priv.id}/protected_branches`, { name: 'main' });
      expect({ status: res.status, body: res.body }).toEqual({ status: 409, body: { message: "Protected branch 'main' already exists" } });
    });

    it('creates a rule with defaults, levels, deploy keys; validates levels and deploy keys', async () => {
      const res = await api().post(`/projects/${f.priv.id}/protected_branches`, { name: 'release/*' });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body)).toEqual(['id', 'name', 'push_access_levels', 'merge_access_levels', 'allow_force_push']);
      expect(res.body).toMatchObject({
        name: 'release/*',
        push_access_levels: [{ access_level: 40, access_level_description: 'Maintainers', deploy_key_id: null }],
        merge_access_levels: [{ access_level: 40, access_level_description: 'Maintainers', deploy_key_id: null }],
        allow_force_push: false,
      });
      const full = await api().post(`/projects/${f.priv.id}/protected_branches`, {
        name: 'stable',
        push_access_level: '30',
        merge_access_level: 0,
        allow_force_push: true,
        allowed_to_push: [{ deploy_key_id: f.dk.rw.id }, { access_level: 60 }],
      });
      expect(full.status).toBe(201);
      expect(full.body.push_access_levels.map((l: { access_level_description: string }) => l.access_level_description)).toEqual([
        'Developers + Maintainers',
        'DKrw',
        'Admins',
      ]);
      expect(full.body.merge_access_levels[0].access_level_description).toBe('No one');
      expect(full.body.allow_force_push).toBe(true);
      const badLevel = await api().post(`/projects/${f.priv.id}/protected_branches`, { name: 'x', push_access_level: 20 });
      expect({ status: badLevel.status, body: badLevel.body }).toEqual({ status: 400, body: { error: 'push_access_level does not have a valid value' } });
      const badMerge = await api().post(`/projects/${f.priv.id}/protected_branches`, { name: 'x', merge_access_level: 'abc' });
      expect(badMerge.body).toEqual({ error: 'merge_access_level does not have a valid value' });
      const readOnlyKey = await api().post(`/projects/${f.priv.id}/protected_branches`, { name: 'x', allowed_to_push: [{ deploy_key_id: f.dk.ro.id }] });
      expect({ status: readOnlyKey.status, body: readOnlyKey.body }).toEqual({
        status: 400,
        body: { message: { 'push_access_levels.deploy_key': ['is not enabled for this project'] } },
      });
      const noName = await api().post(`/projects/${f.priv.id}/protected_branches`, {});
      expect({ status: noName.status, body: noName.body }).toEqual({ status: 400, body: { error: 'name is missing' } });
    });

    it('PATCH allow_force_push, GET and DELETE by URL-encoded name; unknown → 404 Not found', async () => {
      const name = encodeURIComponent('release/*');
      const patched = await api().patch(`/projects/${f.priv.id}/protected_branches/${name}`, { allow_force_push: true });
      expect({ status: patched.status, allow: patched.body.allow_force_push }).toEqual({ status: 200, allow: true });
      expect((await api().get(`/projects/${f.priv.id}/protected_branches/${name}`)).body.allow_force_push).toBe(true);
      expect((await api().delete(`/projects/${f.priv.id}/protected_branches/${name}`)).status).toBe(204);
      const gone = await api().delete(`/projects/${f.priv.id}/protected_branches/${name}`);
      expect({ status: gone.status, body: gone.body }).toEqual({ status: 404, body: { message: '404 Not found' } });
      const patchGone = await api().patch(`/projects/${f.priv.id}/protected_branches/${name}`, { allow_force_push: false });
      expect({ status: patchGone.status, body: patchGone.body }).toEqual({ status: 404, body: { message: '404 Not found' } });
    });

    it('protected tags: create, 409, delete', async () => {
      const res = await api().post(`/projects/${f.priv.id}/protected_tags`, { name: 'release-*', create_access_level: 30 });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body)).toEqual(['name', 'create_access_levels']);
      expect(res.body.create_access_levels).toEqual([
        { id: expect.any(Number), access_level: 30, access_level_description: 'Developers + Maintainers', deploy_key_id: null },
      ]);
      const dup = await api().post(`/projects/${f.priv.id}/protected_tags`, { name: 'v*' });
      expect({ status: dup.status, body: dup.body }).toEqual({ status: 409, body: { message: "Protected tag 'v*' already exists" } });
      expect((await api().delete(`/projects/${f.priv.id}/protected_tags/release-*`)).status).toBe(204);
      expect((await api().delete(`/projects/${f.priv.id}/protected_tags/release-*`)).status).toBe(404);
    });
  });

  describe('broadcast messages', () => {
    it('POST answers the entity; DELETE answers the deleted entity; unknown → 404', async () => {
      const res = await api().post('/broadcast_messages', { message: 'Maintenance', target_path: '/grp/*', target_access_levels: [30, 40] });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body)).toEqual(['id', 'message', 'starts_at', 'ends_at', 'active', 'target_access_levels', 'target_path', 'broadcast_type', 'dismissable', 'show_in_cli']);
      expect(res.body).toMatchObject({ message: 'Maintenance', active: true, target_access_levels: [30, 40], target_path: '/grp/*', broadcast_type: 'banner', dismissable: false, show_in_cli: true });
      expect(new Date(res.body.ends_at).getTime() - new Date(res.body.starts_at).getTime()).toBe(3600_000);
      const future = await api().post('/broadcast_messages', { message: 'Later', starts_at: '2099-01-01T00:00:00Z', ends_at: '2099-01-02T00:00:00Z' });
      expect(future.body.active).toBe(false);
      const deleted = await api().delete(`/broadcast_messages/${res.body.id}`);
      expect({ status: deleted.status, body: deleted.body }).toEqual({ status: 200, body: res.body });
      const gone = await api().delete(`/broadcast_messages/${res.body.id}`);
      expect({ status: gone.status, body: gone.body }).toEqual({ status: 404, body: { message: '404 Broadcast Message Not Found' } });
      expect((await api().post('/broadcast_messages', {})).body).toEqual({ error: 'message is missing' });
      expect((await api().post('/broadcast_messages', { message: 'x', target_access_levels: [35] })).body).toEqual({ error: 'target_access_levels does not have a valid value' });
      expect((await api().post('/broadcast_messages', { message: 'x', broadcast_type: 'popup' })).body).toEqual({ error: 'broadcast_type does not have a valid value' });
      expect((await api().post('/broadcast_messages', { message: 'x', starts_at: 'soon' })).body).toEqual({ error: 'starts_at is invalid' });
    });
  });

  describe('application settings', () => {
    it('GET the five settings; PUT changes and validates them', async () => {
      const res = await api().get('/application/settings');
      expect({ status: res.status, body: res.body }).toEqual({
        status: 200,
        body: {
          enabled_git_access_protocol: null,
          receive_max_input_size: null,
          gitlab_shell_operation_limit: 600,
          error_tracking_enabled: false,
          require_personal_access_token_expiry: true,
        },
      });
      const put = await api().put('/application/settings', { enabled_git_access_protocol: 'ssh', receive_max_input_size: '5', error_tracking_enabled: 'true' });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ enabled_git_access_protocol: 'ssh', receive_max_input_size: 5, error_tracking_enabled: true });
      for (const [body, error] of [
        [{ enabled_git_access_protocol: 'ftp' }, 'enabled_git_access_protocol does not have a valid value'],
        [{ gitlab_shell_operation_limit: -1 }, 'gitlab_shell_operation_limit does not have a valid value'],
        [{ receive_max_input_size: -5 }, 'receive_max_input_size does not have a valid value'],
        [{ gitlab_shell_operation_limit: 'many' }, 'gitlab_shell_operation_limit is invalid'],
        [{ require_personal_access_token_expiry: 'maybe' }, 'require_personal_access_token_expiry is invalid'],
      ] as const) {
        const bad = await api().put('/application/settings', body);
        expect({ status: bad.status, body: bad.body }).toEqual({ status: 400, body: { error } });
      }
      const reset = await api().put('/application/settings', { enabled_git_access_protocol: null, receive_max_input_size: null, error_tracking_enabled: false });
      expect(reset.body).toEqual(res.body);
    });
  });

  itRequiresAdmin(() => f.t, 'post', '/api/v4/deploy_keys', () => userToken, { title: 'x', key: 'y' });
  itRequiresAdmin(() => f.t, 'post', '/api/v4/projects/1/protected_branches', () => userToken, { name: 'x' });
  itRequiresAdmin(() => f.t, 'post', '/api/v4/broadcast_messages', () => userToken, { message: 'x' });
  itRequiresAdmin(() => f.t, 'put', '/api/v4/application/settings', () => userToken, {});
});
