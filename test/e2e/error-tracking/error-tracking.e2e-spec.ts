import { Project } from '../../../src/namespaces/entities/project.entity';
import { ApplicationSettingsService } from '../../../src/settings/application-settings.service';
import { itRequiresAdmin } from '../../helpers/auth-examples';
import { createAdmin, createGroup, createPat, createProject, createUser } from '../../helpers/factories';
import { shellJwt } from '../../helpers/jwt';
import { createTestApp, TestApp } from '../../helpers/test-app';

describe('Error tracking: POST /internal/error_tracking/allowed and its admin fixtures', () => {
  let t: TestApp;
  let admin: { headers: Record<string, string> };
  let userToken: string;
  let priv: Project;
  let other: Project;
  let key: string;
  let otherKey: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createAdmin(t);
    userToken = await createPat(t, await createUser(t, 'eve'));
    const grp = await createGroup(t, 'grp', { visibility: 20 });
    priv = await createProject(t, grp, 'priv');
    other = await createProject(t, grp, 'other');
    await t.get<ApplicationSettingsService>(ApplicationSettingsService).update({ error_tracking_enabled: true });
    for (const project of [priv, other]) {
      const res = await t
        .http()
        .put(`/api/v4/projects/${project.id}/error_tracking/settings`)
        .set(admin.headers)
        .send({ active: true, integrated: true });
      expect(res.status).toBe(200);
    }
    key = (await t.http().post(`/api/v4/projects/${priv.id}/error_tracking/client_keys`).set(admin.headers).send({})).body.public_key;
    otherKey = (await t.http().post(`/api/v4/projects/${other.id}/error_tracking/client_keys`).set(admin.headers).send({})).body.public_key;
  });
  afterAll(() => t.close());

  const allowed = (body: Record<string, unknown>, headers: Record<string, string> = { 'Gitlab-Error-Tracking-Token': 'ettoken' }) =>
    t.http().post('/api/v4/internal/error_tracking/allowed').set(headers).send(body);
  const expectEnabled = async (body: Record<string, unknown>, enabled: boolean) => {
    const res = await allowed(body);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual({ enabled });
  };

  describe('admin fixtures', () => {
    it('PUT /projects/:id/error_tracking/settings creates the row and answers GitLab’s entity', async () => {
      const res = await t
        .http()
        .put(`/api/v4/projects/${encodeURIComponent('grp/priv')}/error_tracking/settings`)
        .set(admin.headers)
        .send({ active: 'true' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ active: true, project_name: 'priv', sentry_external_url: null, api_url: null, integrated: true });
      expect(Object.keys(res.body)).toEqual(['active', 'project_name', 'sentry_external_url', 'api_url', 'integrated']);
      const rows = await t.dataSource.query(`SELECT enabled, integrated FROM project_error_tracking_settings WHERE project_id = $1`, [
        priv.id,
      ]);
      expect(rows).toEqual([{ enabled: true, integrated: true }]);
    });

    it('POST /projects/:id/error_tracking/client_keys answers id, active, public_key and the Sentry DSN', async () => {
      const res = await t.http().post(`/api/v4/projects/${priv.id}/error_tracking/client_keys`).set(admin.headers).send({ active: false });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body)).toEqual(['id', 'active', 'public_key', 'sentry_dsn']);
      expect(res.body).toEqual({
        id: expect.any(Number),
        active: false,
        public_key: expect.stringMatching(/^glet_[0-9a-f]{32}$/),
        sentry_dsn: `http://${res.body.public_key}@gitlab.test/api/v4/error_tracking/collector/${priv.id}`,
      });
      expect(key).toMatch(/^glet_[0-9a-f]{32}$/);
      await expectEnabled({ project_id: priv.id, public_key: res.body.public_key }, false);
      const del = await t.http().delete(`/api/v4/projects/${priv.id}/error_tracking/client_keys/${res.body.id}`).set(admin.headers);
      expect(del.status).toBe(204);
      const again = await t.http().delete(`/api/v4/projects/${priv.id}/error_tracking/client_keys/${res.body.id}`).set(admin.headers);
      expect(again.status).toBe(404);
      expect(again.body).toEqual({ message: '404 Not found' });
    });

    it('validates parameters and projects', async () => {
      const missing = await t.http().put(`/api/v4/projects/${priv.id}/error_tracking/settings`).set(admin.headers).send({});
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({ error: 'active is missing' });
      const invalid = await t
        .http()
        .put(`/api/v4/projects/${priv.id}/error_tracking/settings`)
        .set(admin.headers)
        .send({ active: 'maybe', integrated: 'x' });
      expect(invalid.status).toBe(400);
      expect(invalid.body).toEqual({ error: 'active is invalid, integrated is invalid' });
      for (const id of ['999999', 'no%2Fsuch', '99999999999999999999999']) {
        const res = await t.http().put(`/api/v4/projects/${id}/error_tracking/settings`).set(admin.headers).send({ active: true });
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ message: '404 Project Not Found' });
        const create = await t.http().post(`/api/v4/projects/${id}/error_tracking/client_keys`).set(admin.headers).send({});
        expect(create.status).toBe(404);
        expect(create.body).toEqual({ message: '404 Project Not Found' });
      }
      const otherProjectsKey = await t.dataSource.query(`SELECT id FROM error_tracking_client_keys WHERE public_key = $1`, [otherKey]);
      const wrongProject = await t
        .http()
        .delete(`/api/v4/projects/${priv.id}/error_tracking/client_keys/${otherProjectsKey[0].id}`)
        .set(admin.headers);
      expect(wrongProject.status).toBe(404);
      expect(wrongProject.body).toEqual({ message: '404 Not found' });
    });

    itRequiresAdmin(
      () => t,
      'put',
      '/api/v4/projects/1/error_tracking/settings',
      () => userToken,
      { active: true },
    );
    itRequiresAdmin(
      () => t,
      'post',
      '/api/v4/projects/1/error_tracking/client_keys',
      () => userToken,
    );
    itRequiresAdmin(
      () => t,
      'delete',
      '/api/v4/projects/1/error_tracking/client_keys/1',
      () => userToken,
    );
  });

  describe('POST /internal/error_tracking/allowed', () => {
    it('#88 an active key of an enabled project: token as header, as parameter (query or body)', async () => {
      await expectEnabled({ project_id: priv.id, public_key: key }, true);
      const viaQuery = await t
        .http()
        .post('/api/v4/internal/error_tracking/allowed?error_tracking_token=ettoken')
        .send({ project_id: priv.id, public_key: key });
      expect(viaQuery.status).toBe(200);
      expect(viaQuery.body).toEqual({ enabled: true });
      const viaBody = await allowed({ project_id: String(priv.id), public_key: key, error_tracking_token: 'ettoken' }, {});
      expect(viaBody.status).toBe(200);
      expect(viaBody.body).toEqual({ enabled: true });
      const viaForm = await t
        .http()
        .post('/api/v4/internal/error_tracking/allowed')
        .type('form')
        .send(`project_id=${priv.id}&public_key=${key}&error_tracking_token=ettoken`);
      expect(viaForm.status).toBe(200);
      expect(viaForm.body).toEqual({ enabled: true });
    });

    it('#89 disabled by the key, the instance setting, the project settings, or another project’s key', async () => {
      await t.dataSource.query(`UPDATE error_tracking_client_keys SET active = false WHERE public_key = $1`, [key]);
      await expectEnabled({ project_id: priv.id, public_key: key }, false);
      await t.dataSource.query(`UPDATE error_tracking_client_keys SET active = true WHERE public_key = $1`, [key]);
      await expectEnabled({ project_id: priv.id, public_key: key }, true);

      const settings = t.get<ApplicationSettingsService>(ApplicationSettingsService);
      await settings.update({ error_tracking_enabled: false });
      await expectEnabled({ project_id: priv.id, public_key: key }, false);
      await settings.update({ error_tracking_enabled: true });

      const put = (body: object) => t.http().put(`/api/v4/projects/${priv.id}/error_tracking/settings`).set(admin.headers).send(body);
      expect((await put({ active: false })).body).toMatchObject({ active: false, integrated: true });
      await expectEnabled({ project_id: priv.id, public_key: key }, false);
      expect((await put({ active: true, integrated: false })).body).toMatchObject({ active: true, integrated: false });
      await expectEnabled({ project_id: priv.id, public_key: key }, false);
      expect((await put({ active: true, integrated: true })).body).toMatchObject({ active: true, integrated: true });
      await expectEnabled({ project_id: priv.id, public_key: key }, true);

      await expectEnabled({ project_id: priv.id, public_key: otherKey }, false);
      await expectEnabled({ project_id: priv.id, public_key: key.toUpperCase() }, false);
      await expectEnabled({ project_id: priv.id, public_key: `${key}\u0000` }, false);
    });

    it('a project without a settings row is not enabled', async () => {
      const bare = await createProject(t, await createGroup(t, 'bare'), 'p');
      const created = await t.http().post(`/api/v4/projects/${bare.id}/error_tracking/client_keys`).set(admin.headers).send({});
      await expectEnabled({ project_id: bare.id, public_key: created.body.public_key }, false);
    });

    it('#90 no token, or only the shell JWT → 401', async () => {
      for (const headers of [{}, { 'Gitlab-Shell-Api-Request': shellJwt() }, { 'Gitlab-Error-Tracking-Token': 'wrong' }]) {
        const res = await allowed({ project_id: priv.id, public_key: key }, headers);
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ message: '401 Unauthorized' });
      }
    });

    it('#90 blank project_id or public_key → 422', async () => {
      for (const body of [
        { project_id: priv.id },
        { public_key: key },
        { project_id: priv.id, public_key: '  ' },
        { project_id: '', public_key: key },
        { project_id: null, public_key: key },
        {},
      ]) {
        const res = await allowed(body);
        expect(res.status).toBe(422);
        expect(res.body).toEqual({ message: '422 Unprocessable Entity' });
      }
    });

    it('#90 unknown, invalid or pending-deletion project → 404 Not found', async () => {
      const doomed = await createProject(t, await createGroup(t, 'doomed'), 'p');
      await t.dataSource.query(`UPDATE projects SET pending_delete = true WHERE id = $1`, [doomed.id]);
      for (const project_id of [999999, 'abc', 0, -1, 1.5, '99999999999999999999999', doomed.id]) {
        const res = await allowed({ project_id, public_key: 'k' });
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ message: '404 Not found' });
      }
    });
  });
});
