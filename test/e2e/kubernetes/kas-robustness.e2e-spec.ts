import { createTestApp, TestApp } from '../../helpers/test-app';
import { J, K, createWorld, KasWorld } from './fixtures';

/** Bad input never produces a 5xx. */
describe('kas routes survive hostile input', () => {
  let t: TestApp;
  let w: KasWorld;
  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorld(t);
  });
  afterAll(() => t.close());

  const weird: unknown[] = [
    null,
    true,
    0,
    -1,
    1e20,
    '99999999999999999999999',
    '',
    'nul\u0000byte',
    'lone \udc00 surrogate',
    [],
    [null, { id: 'x\u0000' }],
    {},
    { id: 'a\u0000b', nested: { '\u0000': 1 } },
  ];

  const bodies = (keys: string[]): object[] => {
    const out: object[] = [];
    for (const key of keys) for (const value of weird) out.push({ [key]: value });
    return out;
  };

  it('JWT-only routes', async () => {
    const routes: [string, string[]][] = [
      ['agent_configuration', ['agent_id', 'agent_config']],
      ['authorize_proxy_user', ['agent_id', 'access_type', 'access_key', 'csrf_token']],
      ['usage_metrics', ['counters', 'unique_counters', 'gitops_sync_count']],
      ['agent_events', ['events']],
    ];
    for (const [route, keys] of routes) {
      const extra: object[] = [
        { agent_id: w.agentId, agent_config: { user_access: { projects: weird, groups: weird, access_as: { '\u0000': 1 } } } },
        { agent_id: w.agentId, agent_config: { ci_access: { projects: [{ id: 'g/p\u0000' }, { id: ['x'] }, { id: 'G/P', x: 'y' }] } } },
        { agent_id: w.agentId, access_type: 'personal_access_token', access_key: 'x\u0000' },
        { counters: { gitops_sync: 1e20 }, unique_counters: { agent_users_using_ci_tunnel: [1e20, '1', null] } },
        { events: { k8s_api_proxy_requests_unique_users_via_ci_access: [{ user_id: 1e20, project_id: '99999999999999999999' }, null, []] } },
      ];
      for (const body of [...bodies(keys), ...extra]) {
        const res = await t.http().post(`${K}/${route}`).set(J()).send(body);
        expect({ route, body, status: res.status < 500 }).toEqual({ route, body, status: true });
      }
    }
  });

  it('agent-token routes', async () => {
    const valid = {
      name: 'x',
      severity: 'low',
      location: { kubernetes_resource: { namespace: 'n', kind: 'k', name: 'x' } },
      identifiers: [{ type: 'cve', name: 'CVE-1' }],
    };
    const requests: [string, string, object][] = [];
    for (const body of bodies(['vulnerability', 'scanner'])) requests.push(['put', 'modules/starboard_vulnerability/', body]);
    for (const value of weird) {
      requests.push(['put', 'modules/starboard_vulnerability', { vulnerability: { ...valid, name: value }, scanner: { id: 's', name: 's', vendor: value } }]);
      requests.push(['put', 'modules/starboard_vulnerability', { vulnerability: { ...valid, identifiers: [{ type: 'cve', name: value, external_id: value }] }, scanner: { id: 's', name: 's', vendor: 'v' } }]);
      requests.push(['post', 'modules/starboard_vulnerability/scan_result', { uuids: value }]);
      requests.push(['post', 'modules/starboard_vulnerability/scan_result', { uuids: [value] }]);
      requests.push(['post', 'modules/cilium_alert', { alert: value }]);
      requests.push(['post', 'modules/cilium_alert', { alert: { title: value, payload: value } }]);
    }
    for (const [method, path, body] of requests) {
      const res = await (t.http() as any)[method](`${K}/${path}`).set(w.headers()).send(body);
      expect({ path, body, status: res.status < 500 }).toEqual({ path, body, status: true });
    }
    for (const id of ['%00', 'a%00b%2Fc', '99999999999999999999', '-1', '1.5', 'g%2Fp%2F..', '%F0%9F%92%A9%2Fx']) {
      for (const route of ['project_info', 'verify_project_access']) {
        const res = await t.http().get(`${K}/${route}?id=${id}`).set(w.headers());
        expect({ route, id, status: res.status }).toEqual({ route, id, status: 404 });
      }
    }
    const arrayId = await t.http().get(`${K}/project_info?id[]=1&id[]=2`).set(w.headers());
    expect(arrayId.status).toBe(404);
  });

  it('admin routes', async () => {
    const base = `/api/v4/projects/${w.project.id}`;
    const requests: [string, string, object][] = [];
    for (const value of weird) {
      requests.push(['post', `${base}/cluster_agents`, { name: value, created_by_user_id: value }]);
      requests.push(['post', `${base}/cluster_agents/${w.agentId}/tokens`, { name: value, description: value }]);
      requests.push(['put', `${base}/security_orchestration_policy_configuration`, { scan_execution_policy: value }]);
      requests.push(['put', `${base}/security_orchestration_policy_configuration`, { scan_execution_policy: [{ name: value, enabled: value, actions: [{ scan: value }], rules: [{ type: 'schedule', cadence: value, agents: value, branches: value }] }] }]);
    }
    for (const p of ['%00', '99999999999999999999', 'a%00%2Fb']) {
      requests.push(['post', `/api/v4/projects/${p}/cluster_agents`, { name: 'x' }]);
      requests.push(['get', `/api/v4/projects/${p}/vulnerabilities`, {}]);
      requests.push(['put', `/api/v4/groups/${p}/security_orchestration_policy_configuration`, { scan_execution_policy: [] }]);
      requests.push(['get', `${base}/cluster_agents/${p}/tokens/${p}`, {}]);
    }
    for (const [method, path, body] of requests) {
      const res = await (t.http() as any)[method](path).set(w.admin.headers).send(body);
      expect({ path, body, status: res.status < 500 }).toEqual({ path, body, status: true });
    }
  });
});
