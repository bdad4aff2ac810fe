import { load } from 'js-yaml';
import { findingFingerprints } from '../../../src/kubernetes/vulnerability-uuid';
import { addMember } from '../../helpers/factories';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { createAgent, createAgentToken, createWorld, J, K, KasWorld, project } from './fixtures';

const SV = `${K}/modules/starboard_vulnerability`;

/** The payload agentk sends (GitLab's request spec). */
function agentkPayload(agentId: number, overrides: { identifierName?: string; severity?: string; description?: string } = {}) {
  const name = overrides.identifierName ?? 'CVE-123-4567';
  return {
    vulnerability: {
      name: `${name} in libc`,
      severity: overrides.severity ?? 'High',
      confidence: 'Unknown',
      description: overrides.description ?? 'a description',
      solution: 'upgrade libc',
      location: {
        kubernetes_resource: { namespace: 'production', name: 'nginx', kind: 'deployment', container_name: '', agent_id: String(agentId) },
        image: 'index.docker.io/library/nginx:1.18',
        dependency: { package: { name: 'libc' }, version: 'v1.2.3' },
        operating_system: 'debian:10',
      },
      identifiers: [{ type: 'cve', name, value: name, url: `https://cve.mitre.org/cgi-bin/cvename.cgi?name=${name}` }],
      links: [{ url: 'https://example.com/advisory' }],
    },
    scanner: { id: 'starboard_trivy', name: 'Trivy (via Starboard Operator)', vendor: { name: 'GitLab' } },
  };
}

/** The simplified example of GitLab's internal API doc. */
const docPayload = {
  vulnerability: {
    name: 'CVE-123-4567 in libc',
    severity: 'high',
    confidence: 'unknown',
    location: { kubernetes_resource: { namespace: 'production', kind: 'deployment', name: 'nginx', container: 'nginx' } },
    identifiers: [{ type: 'cve', name: 'CVE-123-4567', value: 'CVE-123-4567' }],
  },
  scanner: { id: 'starboard_trivy', name: 'Trivy (via Starboard Operator)', vendor: 'GitLab' },
};

const expectedUuid = (agentId: number, projectId: number, name = 'CVE-123-4567') =>
  findingFingerprints({
    identifier: { name },
    kubernetesResource: { namespace: 'production', kind: 'deployment', name: 'nginx' },
    packageName: 'libc',
    agentId,
    projectId,
  }).uuid;

const rubyTime = (iso: string) => `${iso.slice(0, 19)}+00:00`;

describe('starboard vulnerabilities, policies and cilium alerts, licensed', () => {
  let t: TestApp;
  let w: KasWorld;
  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorld(t);
  });
  afterAll(() => t.close());

  const put = (body: object, headers = w.headers(), path = `${SV}/`) => t.http().put(path).set(headers).send(body).redirects(0);
  const findings = () => t.dataSource.query(`SELECT * FROM vulnerability_findings ORDER BY id`);

  it('#26 the doc example (vendor string, container, no dependency) with A.id = P.id = 1', async () => {
    expect([w.agentId, w.project.id]).toEqual([1, 1]);
    const res = await put(docPayload, w.headers(), SV);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ uuid: '9fae6644-1de7-5783-be4b-ce0df968065a' });
    const [row] = await findings();
    expect(row.scanner_vendor).toBe('GitLab');
  });

  it('#23 the agentk payload creates one detected finding, lower-cased', async () => {
    const res = await put(agentkPayload(w.agentId));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ uuid: expectedUuid(w.agentId, w.project.id) });
    expect(res.body.uuid).toBe('ed9e7465-b64b-5885-8e85-1a5389daff0e');
    const rows = (await findings()).filter((r: { uuid: string }) => r.uuid === res.body.uuid);
    expect(rows).toHaveLength(1);
    const row = rows[0];
    expect(row).toMatchObject({
      state: 'detected',
      severity: 'high',
      confidence: 'unknown',
      report_type: 'cluster_image_scanning',
      cluster_agent_id: w.agentId,
      project_id: w.project.id,
      author_id: w.creator.id,
      title: 'CVE-123-4567 in libc',
      scanner_external_id: 'starboard_trivy',
      scanner_name: 'Trivy (via Starboard Operator)',
      scanner_vendor: 'GitLab',
      metadata_version: 'cluster_image_scanning:1.0',
      resolved_on_default_branch: false,
      primary_identifier_fingerprint: '5495a25ba9bb3ecd0302d380536f06d26fc96c19',
      location_fingerprint: 'c80ddfef32f6a77fc63e625ec3426b1b8ba8ddb0',
    });
    expect(row.location).toEqual(agentkPayload(w.agentId).vulnerability.location);
    expect(JSON.parse(row.raw_metadata)).toEqual({ location: agentkPayload(w.agentId).vulnerability.location });
    const [agent] = await t.dataSource.query(`SELECT has_vulnerabilities FROM cluster_agents WHERE id = $1`, [w.agentId]);
    expect(agent.has_vulnerabilities).toBe(true);
  });

  it('#24 repeating it, even with another severity or description, changes nothing', async () => {
    const before = await findings();
    const a = await put(agentkPayload(w.agentId));
    const b = await put(agentkPayload(w.agentId, { severity: 'Critical', description: 'changed' }));
    for (const res of [a, b]) {
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ uuid: expectedUuid(w.agentId, w.project.id) });
    }
    expect(await findings()).toEqual(before);
  });

  it('#25 another identifier name is another finding', async () => {
    const res = await put(agentkPayload(w.agentId, { identifierName: 'CVE-999-0001' }));
    expect(res.status).toBe(200);
    expect(res.body.uuid).toBe(expectedUuid(w.agentId, w.project.id, 'CVE-999-0001'));
    expect(res.body.uuid).not.toBe(expectedUuid(w.agentId, w.project.id));
    expect(await findings()).toHaveLength(3);
  });

  it('#27 validation', async () => {
    const scanner = agentkPayload(w.agentId).scanner;
    const cases: [object, string][] = [
      [{ vulnerability: 'invalid', scanner }, 'vulnerability is invalid'],
      [{ vulnerability: agentkPayload(w.agentId).vulnerability }, 'scanner is missing'],
      [{ ...agentkPayload(w.agentId, { severity: 'bogus' }) }, 'vulnerability[severity] does not have a valid value'],
      [{ scanner }, 'vulnerability is missing'],
      [{ vulnerability: agentkPayload(w.agentId).vulnerability, scanner: { ...scanner, vendor: {} } }, 'scanner[vendor][name] is missing'],
      [
        { vulnerability: { ...docPayload.vulnerability, location: { kubernetes_resource: { kind: 'deployment', name: 'nginx' } } }, scanner },
        'vulnerability[location][kubernetes_resource][namespace] is missing',
      ],
      [{ vulnerability: { ...docPayload.vulnerability, identifiers: [] }, scanner }, 'vulnerability[identifiers] is empty'],
      [{ vulnerability: { ...docPayload.vulnerability, identifiers: [{ type: 'cve' }] }, scanner }, 'vulnerability[identifiers][0][name] is missing'],
    ];
    const before = await findings();
    for (const [body, error] of cases) {
      const res = await put(body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error });
    }
    expect(await findings()).toEqual(before);
  });

  it('#28 the creator is only Developer → 403, no row', async () => {
    await t.dataSource.query(`UPDATE members SET access_level = 30 WHERE user_id = $1`, [w.creator.id]);
    try {
      const res = await put(agentkPayload(w.agentId, { identifierName: 'CVE-403-0001' }));
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ message: '403 Forbidden' });
      const scan = await t.http().post(`${SV}/scan_result`).set(w.headers()).send({ uuids: [] });
      expect(scan.status).toBe(403);
    } finally {
      await t.dataSource.query(`UPDATE members SET access_level = 40 WHERE user_id = $1`, [w.creator.id]);
    }
    expect(await findings()).toHaveLength(3);
  });

  it('50 parallel identical reports make one finding with one uuid', async () => {
    const body = agentkPayload(w.agentId, { identifierName: 'CVE-2024-50' });
    const answers = await Promise.all(Array.from({ length: 50 }, () => put(body)));
    expect(new Set(answers.map((r) => r.status))).toEqual(new Set([200]));
    expect(new Set(answers.map((r) => r.body.uuid)).size).toBe(1);
    const rows = await t.dataSource.query(`SELECT count(*)::int AS n FROM vulnerability_findings WHERE uuid = $1`, [answers[0].body.uuid]);
    expect(rows[0].n).toBe(1);
  });

  describe('scan_result', () => {
    let mine: string[];
    let otherAgentUuid: string;
    let otherProjectUuid: string;
    beforeAll(async () => {
      await t.dataSource.query(`DELETE FROM vulnerability_findings`);
      mine = [];
      for (const n of ['CVE-1', 'CVE-2', 'CVE-3', 'CVE-4']) mine.push((await put(agentkPayload(w.agentId, { identifierName: n }))).body.uuid);
      const b = await createAgent(t, w.admin.headers, w.project, 'other-agent', w.creator);
      const bToken = await createAgentToken(t, w.admin.headers, w.project, b);
      otherAgentUuid = (await put(agentkPayload(b, { identifierName: 'CVE-1' }), { ...J(), Authorization: `Bearer ${bToken.token}` })).body.uuid;
      const q = await project(t, w.group, 'q');
      await addMember(t, q, w.creator, 40);
      const c = await createAgent(t, w.admin.headers, q, 'the-agent', w.creator);
      const cToken = await createAgentToken(t, w.admin.headers, q, c);
      otherProjectUuid = (await put(agentkPayload(c, { identifierName: 'CVE-1' }), { ...J(), Authorization: `Bearer ${cToken.token}` })).body.uuid;
      expect(new Set([...mine, otherAgentUuid, otherProjectUuid]).size).toBe(6);
    });
    const states = async () => {
      const rows: { uuid: string; state: string; resolved_on_default_branch: boolean }[] = await t.dataSource.query(
        `SELECT uuid, state, resolved_on_default_branch FROM vulnerability_findings`,
      );
      return Object.fromEntries(rows.map((r) => [r.uuid, `${r.state}/${r.resolved_on_default_branch}`]));
    };
    const scan = (body: object) => t.http().post(`${SV}/scan_result`).set(w.headers()).send(body).redirects(0);

    it('#29 resolves the findings of this agent the scan no longer lists', async () => {
      const res = await scan({ uuids: [mine[0], mine[1].toUpperCase()] });
      expect(res.status).toBe(200);
      expect(res.body).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(await states()).toEqual({
        [mine[0]]: 'detected/false',
        [mine[1]]: 'detected/false',
        [mine[2]]: 'resolved/true',
        [mine[3]]: 'resolved/true',
        [otherAgentUuid]: 'detected/false',
        [otherProjectUuid]: 'detected/false',
      });
      const [row] = await t.dataSource.query(`SELECT resolved_at FROM vulnerability_findings WHERE uuid = $1`, [mine[2]]);
      expect(row.resolved_at).not.toBeNull();
    });

    it('#30 an empty list resolves all four; -1 is invalid; a resolved finding is not re-opened by a report', async () => {
      const bad = await scan({ uuids: -1 });
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({ error: 'uuids is invalid' });
      const missing = await scan({});
      expect(missing.body).toEqual({ error: 'uuids is missing' });
      const res = await scan({ uuids: [] });
      expect(res.status).toBe(200);
      const s = await states();
      for (const u of mine) expect(s[u]).toBe('resolved/true');
      expect(s[otherAgentUuid]).toBe('detected/false');
      expect(s[otherProjectUuid]).toBe('detected/false');
      const again = await put(agentkPayload(w.agentId, { identifierName: 'CVE-1' }));
      expect(again.body.uuid).toBe(mine[0]);
      expect((await states())[mine[0]]).toBe('resolved/true');
    });
  });

  describe('policies', () => {
    const policiesConfiguration = () => t.http().get(`${SV}/policies_configuration`).set(w.headers()).redirects(0);
    const schedule = (cadence: string, agents: object) => ({ type: 'schedule', cadence, agents });

    it('#32 no configuration → empty list', async () => {
      const res = await policiesConfiguration();
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ configurations: [] });
    });

    it('#33 schedules naming the agent, project first, then its groups', async () => {
      const rules = [
        schedule('30 2 * * *', { 'the-agent': { namespaces: ['a', 'b'] } }),
        { type: 'pipeline', branches: ['main'] },
        schedule('0 1 * * *', { 'other-agent': { namespaces: ['c'] } }),
      ];
      const p = await t
        .http()
        .put(`/api/v4/projects/${w.project.id}/security_orchestration_policy_configuration`)
        .set(w.admin.headers)
        .send({
          scan_execution_policy: [
            { name: 'Policy 1', description: 'd', enabled: true, actions: [{ scan: 'container_scanning' }], rules },
            { name: 'Policy 2', enabled: false, actions: [{ scan: 'container_scanning' }], rules },
          ],
        });
      expect(p.status).toBe(200);
      expect(p.body).toEqual({
        id: expect.any(Number),
        project_id: w.project.id,
        scan_execution_policy: expect.any(Array),
        policy_last_updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
      const g = await t
        .http()
        .put(`/api/v4/groups/${w.group.id}/security_orchestration_policy_configuration`)
        .set(w.admin.headers)
        .send({
          scan_execution_policy: [
            { name: 'Group policy', enabled: true, actions: [{ scan: 'cluster_image_scanning' }], rules: [schedule('0 0 * * *', { 'the-agent': {} })] },
          ],
        });
      expect(g.status).toBe(200);
      expect(g.body.namespace_id).toBe(w.group.id);
      const res = await policiesConfiguration();
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        configurations: [
          { cadence: '30 2 * * *', namespaces: ['a', 'b'], updated_at: rubyTime(p.body.policy_last_updated_at) },
          { cadence: '0 0 * * *', namespaces: [], updated_at: rubyTime(g.body.policy_last_updated_at) },
        ],
      });
    });

    it('#34 scan_execution_policies renders each policy as YAML', async () => {
      const policy = { name: 'Only', description: 'desc', enabled: true, actions: [{ scan: 'cluster_image_scanning' }], rules: [schedule('0 0 * * *', { x: { namespaces: ['n'] } })] };
      const del = await t.http().delete(`/api/v4/groups/${w.group.id}/security_orchestration_policy_configuration`).set(w.admin.headers);
      expect(del.status).toBe(204);
      const p = await t.http().put(`/api/v4/projects/${w.project.id}/security_orchestration_policy_configuration`).set(w.admin.headers).send({ scan_execution_policy: [policy] });
      const res = await t.http().get(`${SV}/scan_execution_policies`).set(w.headers());
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        policies: [{ name: 'Only', description: 'desc', enabled: true, yaml: expect.stringMatching(/^---\n/), updated_at: rubyTime(p.body.policy_last_updated_at) }],
      });
      expect(load(res.body.policies[0].yaml)).toEqual(policy);
    });
  });

  describe('cilium_alert', () => {
    const alert = (body: unknown) => t.http().post(`${K}/modules/cilium_alert`).set(w.headers()).send(body as object);

    it('#35 stores an alert (200, body 200); without alert → 400', async () => {
      const res = await alert({ alert: { title: 'minimal', message: 'network problem' } });
      expect(res.status).toBe(200);
      expect(res.body).toBe(200);
      const rows = await t.dataSource.query(`SELECT agent_id, project_id, title, payload FROM cluster_agent_alerts`);
      expect(rows).toEqual([{ agent_id: w.agentId, project_id: w.project.id, title: 'minimal', payload: { title: 'minimal', message: 'network problem' } }]);
      const missing = await alert({});
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({ error: 'alert is missing' });
      const invalid = await alert({ alert: 'x' });
      expect(invalid.body).toEqual({ error: 'alert is invalid' });
    });

    it('#35 accepts the body as a JSON string of the object', async () => {
      const res = await t
        .http()
        .post(`${K}/modules/cilium_alert`)
        .set(w.headers())
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(JSON.stringify({ alert: { title: 'as string', message: 'network problem' } })));
      expect(res.status).toBe(200);
      expect(res.body).toBe(200);
      const rows = await t.dataSource.query(`SELECT title FROM cluster_agent_alerts WHERE title = 'as string'`);
      expect(rows).toEqual([{ title: 'as string' }]);
    });

    it('an alert nested deeper than 20 → 400 Bad Request', async () => {
      let deep: Record<string, unknown> = { leaf: 1 };
      for (let i = 0; i < 25; i++) deep = { nested: deep };
      const res = await alert({ alert: deep });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ message: 'Bad Request' });
    });
  });

  it('#39 agent-token module routes answer the same with a trailing slash', async () => {
    for (const path of ['modules/starboard_vulnerability/policies_configuration', 'modules/starboard_vulnerability/scan_execution_policies']) {
      const plain = await t.http().get(`${K}/${path}`).set(w.headers()).redirects(0);
      const slash = await t.http().get(`${K}/${path}/`).set(w.headers()).redirects(0);
      expect(plain.status).toBe(200);
      expect(slash.status).toBe(200);
    }
    for (const path of ['modules/starboard_vulnerability/scan_result', 'modules/cilium_alert']) {
      const plain = await t.http().post(`${K}/${path}`).set(w.headers()).send({}).redirects(0);
      const slash = await t.http().post(`${K}/${path}/`).set(w.headers()).send({}).redirects(0);
      expect(plain.status).toBe(400);
      expect(slash.status).toBe(plain.status);
    }
  });
});

describe('unlicensed instance (GITLAB_LICENSE_PLAN=premium)', () => {
  let t: TestApp;
  let w: KasWorld;
  beforeAll(async () => {
    t = await createTestApp({ GITLAB_LICENSE_PLAN: 'premium' });
    w = await createWorld(t);
  });
  afterAll(() => t.close());

  it('#28 starboard create → 403 and no row; #30 scan_result → 403', async () => {
    const res = await t.http().put(`${SV}/`).set(w.headers()).send(agentkPayload(w.agentId));
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ message: '403 Forbidden' });
    expect(await t.dataSource.query(`SELECT id FROM vulnerability_findings`)).toEqual([]);
    const scan = await t.http().post(`${SV}/scan_result`).set(w.headers()).send({ uuids: [] });
    expect(scan.status).toBe(403);
    expect(scan.body).toEqual({ message: '403 Forbidden' });
  });

  it('#31 policies_configuration and scan_execution_policies → 402 Payment Required', async () => {
    for (const path of ['policies_configuration', 'scan_execution_policies']) {
      const res = await t.http().get(`${SV}/${path}`).set(w.headers());
      expect(res.status).toBe(402);
      expect(res.body).toEqual({ message: 'Payment Required' });
    }
  });

  it('cilium_alert → 403', async () => {
    const res = await t.http().post(`${K}/modules/cilium_alert`).set(w.headers()).send({ alert: { title: 'x' } });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ message: '403 Forbidden' });
  });
});
