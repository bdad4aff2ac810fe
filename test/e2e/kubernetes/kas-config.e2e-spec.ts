import { addMember, createPat } from '../../helpers/factories';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { createWorld, group, J, K, KasWorld, project, user } from './fixtures';

describe('kas configuration, proxy authorization and usage', () => {
  let t: TestApp;
  let w: KasWorld;
  let d: { id: number };
  let s: { id: number };
  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorld(t);
    d = await project(t, w.group, 'd', { visibility: 0 });
    s = await group(t, 's', { parent: w.group });
  });
  afterAll(() => t.close());

  const post = (route: string, body: unknown) => t.http().post(`${K}/${route}`).set(J()).send(body as object).redirects(0);
  const authorizations = (kind: string) =>
    t.dataSource.query(`SELECT project_id, group_id, config FROM cluster_agent_authorizations WHERE agent_id = $1 AND access_kind = $2 ORDER BY id`, [w.agentId, kind]);

  const config = (accessAs: object) => ({
    agent_id: String(w.agentId),
    agent_config: {
      user_access: { access_as: accessAs, projects: [{ id: 'G/D' }], groups: [{ id: 'g/s' }] },
      ci_access: { projects: [{ id: 'outside/x' }] },
    },
  });

  describe('agent_configuration', () => {
    it('#11 stores the config; user_access rows for D and S; nothing outside the root group', async () => {
      const outside = await group(t, 'outside');
      await project(t, outside, 'x');
      const res = await post('agent_configuration', config({ agent: {} }));
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect(await authorizations('user_access')).toEqual([
        { project_id: d.id, group_id: null, config: { access_as: { agent: {} } } },
        { project_id: null, group_id: s.id, config: { access_as: { agent: {} } } },
      ]);
      expect(await authorizations('ci_access')).toEqual([]);
      const [agent] = await t.dataSource.query(`SELECT config, config_received_at FROM cluster_agents WHERE id = $1`, [w.agentId]);
      expect(agent.config).toEqual(config({ agent: {} }).agent_config);
      expect(agent.config_received_at).not.toBeNull();
      // idempotent
      expect((await post('agent_configuration', config({ agent: {} }))).status).toBe(204);
      expect(await authorizations('user_access')).toHaveLength(2);
    });

    it('ci_access rows keep the entry without id; a string agent_config works; an emptied list deletes rows', async () => {
      const body = { agent_id: w.agentId, agent_config: JSON.stringify({ ci_access: { projects: [{ id: 'g/d', default_namespace: 'staging' }], groups: [{ id: 'g' }] } }) };
      expect((await post('agent_configuration', body)).status).toBe(204);
      expect(await authorizations('ci_access')).toEqual([
        { project_id: d.id, group_id: null, config: { default_namespace: 'staging' } },
        { project_id: null, group_id: w.group.id, config: {} },
      ]);
      expect(await authorizations('user_access')).toEqual([]);
      expect((await post('agent_configuration', { agent_id: w.agentId, agent_config: {} })).status).toBe(204);
      expect(await authorizations('ci_access')).toEqual([]);
    });

    it('#12 unknown agent → 404 Not found; missing agent_config → 400', async () => {
      const unknown = await post('agent_configuration', { agent_id: -1, agent_config: {} });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({ message: '404 Not found' });
      const missing = await post('agent_configuration', { agent_id: String(w.agentId) });
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({ error: 'agent_config is missing' });
    });

    it('validation messages, joined in parameter order', async () => {
      const cases: [object, string][] = [
        [{}, 'agent_id is missing, agent_config is missing'],
        [{ agent_id: 'abc', agent_config: {} }, 'agent_id is invalid'],
        [{ agent_id: 1, agent_config: [1] }, 'agent_config is invalid'],
        [{ agent_id: 1, agent_config: 'not json' }, 'agent_config is invalid'],
        [{ agent_id: null, agent_config: 5 }, 'agent_id is missing, agent_config is invalid'],
      ];
      for (const [body, error] of cases) {
        const res = await post('agent_configuration', body);
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ error });
      }
    });

    it('requires the kas JWT first', async () => {
      const res = await t.http().post(`${K}/agent_configuration`).send({});
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ message: 'KAS JWT authentication invalid' });
    });
  });

  describe('authorize_proxy_user', () => {
    let u: { id: number; username: string };
    let pat: string;
    beforeAll(async () => {
      const created = await user(t, 'u');
      u = created;
      await addMember(t, { ...d, full_path: 'g/d', disk_path: 'x' } as never, created, 30);
      pat = await createPat(t, created, ['k8s_proxy']);
    });
    const authorize = (body: object) => post('authorize_proxy_user', body);

    it('#13 access_as agent', async () => {
      expect((await post('agent_configuration', config({ agent: {} }))).status).toBe(204);
      const res = await authorize({ agent_id: String(w.agentId), access_type: 'personal_access_token', access_key: pat });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        agent: { id: w.agentId, config_project: { id: w.project.id } },
        user: { id: u.id, username: 'u' },
        access_as: { agent: {} },
      });
      const [row] = await t.dataSource.query(`SELECT last_used_at FROM personal_access_tokens WHERE user_id = $1`, [u.id]);
      expect(row.last_used_at).not.toBeNull();
    });

    it('#14 access_as user lists the projects with roles', async () => {
      expect((await post('agent_configuration', config({ user: {} }))).status).toBe(204);
      const res = await authorize({ agent_id: String(w.agentId), access_type: 'personal_access_token', access_key: pat });
      expect(res.status).toBe(201);
      expect(res.body.access_as).toEqual({ user: { projects: [{ id: d.id, roles: ['guest', 'reporter', 'developer'] }], groups: [] } });
    });

    it('#15 non-member 403; read_api PAT 403 insufficient_scope; unknown PAT 400; unknown agent 404', async () => {
      const stranger = await user(t, 'stranger');
      const strangerPat = await createPat(t, stranger, ['k8s_proxy']);
      const readApi = await createPat(t, await user(t, 'reader'), ['read_api']);
      const a = await authorize({ agent_id: w.agentId, access_type: 'personal_access_token', access_key: strangerPat });
      expect(a.status).toBe(403);
      expect(a.body).toEqual({ message: '403 Forbidden' });
      const b = await authorize({ agent_id: w.agentId, access_type: 'personal_access_token', access_key: readApi });
      expect(b.status).toBe(403);
      expect(b.body).toEqual({
        error: 'insufficient_scope',
        error_description: 'The request requires higher privileges than provided by the access token.',
        scope: 'k8s_proxy',
      });
      const c = await authorize({ agent_id: w.agentId, access_type: 'personal_access_token', access_key: 'glpat-unknown' });
      expect(c.status).toBe(400);
      expect(c.body).toEqual({ message: '400 Bad request - Unable to get user from request data' });
      const e = await authorize({ agent_id: 999999, access_type: 'personal_access_token', access_key: pat });
      expect(e.status).toBe(404);
      expect(e.body).toEqual({ message: '404 Not found' });
    });

    it('memberships expiring today give no access; expiring tomorrow they do', async () => {
      const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
      const expiring = await user(t, 'expiring');
      const expiringPat = await createPat(t, expiring, ['k8s_proxy']);
      await addMember(t, { ...d, full_path: 'g/d', disk_path: 'x' } as never, expiring, 30, { expiresAt: day(0) });
      await addMember(t, s as never, expiring, 30, { expiresAt: day(0) });
      expect((await post('agent_configuration', config({ user: {} }))).status).toBe(204);
      const body = { agent_id: w.agentId, access_type: 'personal_access_token', access_key: expiringPat };
      const denied = await authorize(body);
      expect(denied.status).toBe(403);
      expect(denied.body).toEqual({ message: '403 Forbidden' });
      await t.dataSource.query(`UPDATE members SET expires_at = $2 WHERE user_id = $1`, [expiring.id, day(1)]);
      const granted = await authorize(body);
      expect(granted.status).toBe(201);
      expect(granted.body.access_as.user.projects.map((p: { id: number }) => p.id)).toEqual([d.id]);
      expect(granted.body.access_as.user.groups.map((g: { id: number }) => g.id)).toEqual([s.id]);
    });

    it('revoked and expired PATs → 401 invalid_token', async () => {
      const revoked = await createPat(t, await user(t, 'revoked-u'), ['k8s_proxy']);
      await t.dataSource.query(`UPDATE personal_access_tokens SET revoked = true WHERE token_digest = encode(sha256($1::bytea), 'hex')`, [revoked]);
      const r = await authorize({ agent_id: w.agentId, access_type: 'personal_access_token', access_key: revoked });
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ error: 'invalid_token', error_description: 'Token was revoked. You have to re-authorize from the user.' });
      const expired = await createPat(t, await user(t, 'expired-u'), ['k8s_proxy'], '2020-01-01');
      const x = await authorize({ agent_id: w.agentId, access_type: 'personal_access_token', access_key: expired });
      expect(x.status).toBe(401);
      expect(x.body).toEqual({ error: 'invalid_token', error_description: 'Token is expired. You can either do re-authorization or token refresh.' });
    });

    it('#16 session cookies are never valid; csrf_token is required for them', async () => {
      const a = await authorize({ agent_id: w.agentId, access_type: 'session_cookie', access_key: '123', csrf_token: 'x' });
      expect(a.status).toBe(400);
      expect(a.body).toEqual({ message: '400 Bad request - Invalid access_key' });
      const b = await authorize({ agent_id: w.agentId, access_type: 'session_cookie', access_key: '123' });
      expect(b.status).toBe(400);
      expect(b.body).toEqual({ error: 'csrf_token is missing' });
      const c = await authorize({ agent_id: w.agentId, access_type: 'session_cookie', access_key: '123', csrf_token: ' ' });
      expect(c.body).toEqual({ error: 'csrf_token is empty' });
    });

    it('parameter validation', async () => {
      const a = await authorize({});
      expect(a.status).toBe(400);
      expect(a.body).toEqual({ error: 'agent_id is missing, access_type is missing, access_key is missing' });
      const b = await authorize({ agent_id: 1, access_type: 'oauth', access_key: 'k' });
      expect(b.body).toEqual({ error: 'access_type does not have a valid value' });
      const c = await authorize({ agent_id: 1, access_type: 'personal_access_token', access_key: '' });
      expect(c.status).toBe(400);
      expect(c.body).toEqual({ message: '400 Bad request - Unable to get user from request data' });
    });
  });

  describe('usage_metrics', () => {
    const totals = async () => {
      const rows: { event_name: string; total: number }[] = await t.dataSource.query(`SELECT event_name, total FROM kubernetes_usage_counters`);
      return Object.fromEntries(rows.map((r) => [r.event_name, Number(r.total)]));
    };
    const uniques = () => t.dataSource.query(`SELECT event_name, week_start, entity_id FROM kubernetes_unique_usage_events ORDER BY event_name, entity_id`);

    it('#17 adds counters and unique events of this week; a resend adds totals but no unique rows', async () => {
      const body = {
        counters: { gitops_sync: 2, k8s_api_proxy_request: 1 },
        unique_counters: { agent_users_using_ci_tunnel: [7, 9], k8s_api_proxy_requests_unique_users_via_ci_access: [10] },
      };
      const before = await totals();
      const res = await post('usage_metrics', body);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      const after = await totals();
      expect(after.gitops_sync).toBe((before.gitops_sync ?? 0) + 2);
      expect(after.k8s_api_proxy_request).toBe((before.k8s_api_proxy_request ?? 0) + 1);
      const rows = await uniques();
      expect(rows).toHaveLength(3);
      const monday = new Date();
      monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
      for (const r of rows) expect(r.week_start).toBe(monday.toISOString().slice(0, 10));
      expect((await post('usage_metrics', body)).status).toBe(204);
      const again = await totals();
      expect(again.gitops_sync).toBe((before.gitops_sync ?? 0) + 4);
      expect(await uniques()).toHaveLength(3);
    });

    it('#18 a non-integer counter or a non-array unique counter → 400', async () => {
      const a = await post('usage_metrics', { counters: { k8s_api_proxy_request: 'string' } });
      expect(a.status).toBe(400);
      expect(a.body).toEqual({ error: 'counters[k8s_api_proxy_request] is invalid' });
      const b = await post('usage_metrics', { unique_counters: { k8s_api_proxy_requests_unique_users_via_ci_access: 1 } });
      expect(b.status).toBe(400);
      expect(b.body).toEqual({ error: 'unique_counters[k8s_api_proxy_requests_unique_users_via_ci_access] is invalid' });
      const c = await post('usage_metrics', { counters: 5, gitops_sync_count: 'x' });
      expect(c.body).toEqual({ error: 'counters is invalid, gitops_sync_count is invalid' });
    });

    it('#19 a negative count → 400 and nothing changes', async () => {
      const before = await totals();
      const res = await post('usage_metrics', { counters: { gitops_sync: 3, k8s_api_proxy_request: -1 } });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ message: '400 Bad request - k8s_api_proxy_request count must be greater than or equal to zero' });
      expect(await totals()).toEqual(before);
    });

    it('form-encoded bodies use bracket notation', async () => {
      const before = await totals();
      const res = await t.http().post(`${K}/usage_metrics`).set(J()).type('form').send('counters[flux_git_push_notifications_total]=5&unique_counters[flux_git_push_notified_unique_projects][]=42');
      expect(res.status).toBe(204);
      expect((await totals()).flux_git_push_notifications_total).toBe((before.flux_git_push_notifications_total ?? 0) + 5);
      const rows = await t.dataSource.query(`SELECT entity_id FROM kubernetes_unique_usage_events WHERE event_name = 'flux_git_push_notified_unique_projects'`);
      expect(rows).toEqual([{ entity_id: 42 }]);
    });

    it('#20 legacy fields, unknown counters and {} → 204', async () => {
      const before = await totals();
      expect((await post('usage_metrics', { gitops_sync_count: 1, k8s_api_proxy_request_count: '2' })).status).toBe(204);
      expect((await post('usage_metrics', { counters: { unknown_counter: 3 } })).status).toBe(204);
      expect((await post('usage_metrics', {})).status).toBe(204);
      const after = await totals();
      expect(after.gitops_sync).toBe(before.gitops_sync + 1);
      expect(after.k8s_api_proxy_request).toBe(before.k8s_api_proxy_request + 2);
      expect(after.unknown_counter).toBeUndefined();
    });
  });

  describe('agent_events', () => {
    it('#21 records the event and agent_users_using_ci_tunnel for known user/project pairs only', async () => {
      const u1 = await user(t, 'u1');
      const p1 = await project(t, w.group, 'p1');
      const res = await post('agent_events', {
        events: {
          k8s_api_proxy_requests_unique_users_via_ci_access: [
            { user_id: u1.id, project_id: String(p1.id) },
            { user_id: 999999, project_id: p1.id },
          ],
          register_agent_at_kas: [{ anything: true }],
        },
      });
      expect(res.status).toBe(204);
      const rows = await t.dataSource.query(`SELECT event_name, user_id, project_id FROM kubernetes_agent_events ORDER BY id`);
      expect(rows).toEqual([
        { event_name: 'k8s_api_proxy_requests_unique_users_via_ci_access', user_id: u1.id, project_id: p1.id },
        { event_name: 'agent_users_using_ci_tunnel', user_id: u1.id, project_id: p1.id },
      ]);
      expect((await post('agent_events', { events: { k8s_api_proxy_requests_unique_users_via_user_access: [] } })).status).toBe(204);
      expect((await post('agent_events', {})).status).toBe(204);
    });

    it('#22 validation with 0-based element paths', async () => {
      const a = await post('agent_events', { events: { k8s_api_proxy_requests_unique_users_via_ci_access: [{ user_id: 'string', project_id: 111 }] } });
      expect(a.status).toBe(400);
      expect(a.body).toEqual({ error: 'events[k8s_api_proxy_requests_unique_users_via_ci_access][0][user_id] is invalid' });
      const b = await post('agent_events', { events: 'x' });
      expect(b.body).toEqual({ error: 'events is invalid' });
      const c = await post('agent_events', { events: { k8s_api_proxy_requests_unique_users_via_pat_access: [1, { project_id: 'p' }] } });
      expect(c.body).toEqual({
        error: 'events[k8s_api_proxy_requests_unique_users_via_pat_access][0] is invalid, events[k8s_api_proxy_requests_unique_users_via_pat_access][1][project_id] is invalid',
      });
    });
  });

  it('#39 every kas-JWT route answers the same with a trailing slash, never 3xx', async () => {
    for (const route of ['agent_configuration', 'authorize_proxy_user', 'usage_metrics', 'agent_events']) {
      const plain = await post(route, {});
      const slash = await t.http().post(`${K}/${route}/`).set(J()).send({}).redirects(0);
      expect(slash.status).toBe(plain.status);
      expect(slash.body).toEqual(plain.body);
    }
  });
});
