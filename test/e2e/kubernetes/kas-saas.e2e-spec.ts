import { addMember } from '../../helpers/factories';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { createAgent, createAgentToken, createWorld, group, J, K, KasWorld, project } from './fixtures';

const SV = `${K}/modules/starboard_vulnerability`;
const payload = {
  vulnerability: {
    name: 'CVE-1',
    severity: 'low',
    location: { kubernetes_resource: { namespace: 'ns', kind: 'deployment', name: 'app' } },
    identifiers: [{ type: 'cve', name: 'CVE-1' }],
  },
  scanner: { id: 's', name: 'S', vendor: { name: 'V' } },
};

describe('licensed features on GitLab.com: the root namespace plan', () => {
  let t: TestApp;
  let ultimate: KasWorld;
  let premium: KasWorld;
  let none: KasWorld;
  beforeAll(async () => {
    t = await createTestApp({ GITLAB_SAAS: 'true' });
    ultimate = await createWorld(t, 'u');
    premium = await createWorld(t, 'p');
    none = await createWorld(t, 'n');
    const subscribe = async (w: KasWorld, plan: string) => {
      const res = await t
        .http()
        .post(`/api/v4/namespaces/${w.group.id}/gitlab_subscription`)
        .set(w.admin.headers)
        .send({ start_date: '2024-01-01', plan_code: plan, seats: 10 });
      if (res.status !== 201) throw new Error(`subscription: ${res.status} ${JSON.stringify(res.body)}`);
    };
    await subscribe(ultimate, 'ultimate_trial');
    await subscribe(premium, 'silver');
  });
  afterAll(() => t.close());

  const starboard = (w: KasWorld) => t.http().put(`${SV}/`).set(w.headers()).send(payload);
  const policies = (w: KasWorld) => t.http().get(`${SV}/policies_configuration`).set(w.headers());

  it('an ultimate(-trial) root group has the features', async () => {
    expect((await starboard(ultimate)).status).toBe(200);
    expect((await policies(ultimate)).status).toBe(200);
  });

  it('a project in a subgroup takes the plan of the root group', async () => {
    const sub = await group(t, 'deep', { parent: ultimate.group });
    const p = await project(t, sub, 'deep-p');
    await addMember(t, p, ultimate.creator, 40);
    const agentId = await createAgent(t, ultimate.admin.headers, p, 'deep-agent', ultimate.creator);
    const { token } = await createAgentToken(t, ultimate.admin.headers, p, agentId);
    const res = await t.http().put(`${SV}/`).set({ ...J(), Authorization: `Bearer ${token}` }).send(payload);
    expect(res.status).toBe(200);
  });

  it('a premium (silver) root group and a group without subscription do not', async () => {
    for (const w of [premium, none]) {
      const s = await starboard(w);
      expect(s.status).toBe(403);
      expect(s.body).toEqual({ message: '403 Forbidden' });
      const p = await policies(w);
      expect(p.status).toBe(402);
      expect(p.body).toEqual({ message: 'Payment Required' });
    }
  });
});
