import { itRequiresAdmin } from '../../helpers/auth-examples';
import { createPat } from '../../helpers/factories';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { createAgentToken, createWorld, group, J, K, KasWorld, project, user } from './fixtures';

describe('Kubernetes admin fixtures', () => {
  let t: TestApp;
  let w: KasWorld;
  let userToken: string;
  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorld(t);
    userToken = await createPat(t, await user(t, 'plain'), ['api']);
  });
  afterAll(() => t.close());

  const agents = (projectRef: string | number) => `/api/v4/projects/${projectRef}/cluster_agents`;

  describe('POST /projects/:id/cluster_agents', () => {
    let q: { id: number };
    beforeAll(async () => {
      q = await project(t, w.group, 'agents-home');
    });

    it('#36 creates an agent, then refuses the same name, a bad name, a non-admin and no token', async () => {
      const first = await t.http().post(agents(q.id)).set(w.admin.headers).send({ name: 'the-agent' });
      expect(first.status).toBe(201);
      expect(first.body).toEqual({
        id: expect.any(Number),
        name: 'the-agent',
        config_project: { id: q.id },
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        created_by_user_id: w.admin.user.id,
      });
      expect(Object.keys(first.body)).toEqual(['id', 'name', 'config_project', 'created_at', 'created_by_user_id']);
      const again = await t.http().post(agents(q.id)).set(w.admin.headers).send({ name: 'the-agent' });
      expect(again.status).toBe(400);
      expect(again.body).toEqual({ message: '400 Bad request - ["Name has already been taken"]' });
      const bad = await t.http().post(agents(q.id)).set(w.admin.headers).send({ name: '-bad' });
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({ message: `400 Bad request - ["Name can contain only lowercase letters, digits, and '-', but cannot start or end with '-'"]` });
      const nonAdmin = await t.http().post(agents(q.id)).set('PRIVATE-TOKEN', userToken).send({ name: 'x' });
      expect(nonAdmin.status).toBe(403);
      expect(nonAdmin.body).toEqual({ message: '403 Forbidden' });
      const anonymous = await t.http().post(agents(q.id)).send({ name: 'x' });
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).toEqual({ message: '401 Unauthorized' });
    });

    it('model errors in order; name missing; unknown project or creator', async () => {
      const long = await t.http().post(agents(q.id)).set(w.admin.headers).send({ name: `A${'a'.repeat(63)}` });
      expect(long.body).toEqual({
        message: `400 Bad request - ["Name is too long (maximum is 63 characters)", "Name can contain only lowercase letters, digits, and '-', but cannot start or end with '-'"]`,
      });
      const blank = await t.http().post(agents(q.id)).set(w.admin.headers).send({ name: '' });
      expect(blank.body).toEqual({
        message: `400 Bad request - ["Name can't be blank", "Name can contain only lowercase letters, digits, and '-', but cannot start or end with '-'"]`,
      });
      const missing = await t.http().post(agents(q.id)).set(w.admin.headers).send({});
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({ error: 'name is missing' });
      const unknownProject = await t.http().post(agents(999999)).set(w.admin.headers).send({ name: 'x' });
      expect(unknownProject.status).toBe(404);
      expect(unknownProject.body).toEqual({ message: '404 Project Not Found' });
      const byPath = await t.http().post(agents(encodeURIComponent('g/agents-home'))).set(w.admin.headers).send({ name: 'by-path' });
      expect(byPath.status).toBe(201);
      const unknownUser = await t.http().post(agents(q.id)).set(w.admin.headers).send({ name: 'y', created_by_user_id: 999999 });
      expect(unknownUser.status).toBe(404);
      expect(unknownUser.body).toEqual({ message: '404 User Not Found' });
      const form = await t.http().post(agents(q.id)).set(w.admin.headers).type('form').send({ name: 'from-form', created_by_user_id: String(w.creator.id) });
      expect(form.status).toBe(201);
      expect(form.body.created_by_user_id).toBe(w.creator.id);
    });

    it('concurrent creations of one name: one 201, the others 400', async () => {
      const answers = await Promise.all(Array.from({ length: 5 }, () => t.http().post(agents(q.id)).set(w.admin.headers).send({ name: 'racer' })));
      expect(answers.map((r) => r.status).sort()).toEqual([201, 400, 400, 400, 400]);
    });

    itRequiresAdmin(() => t, 'post', '/api/v4/projects/1/cluster_agents', () => userToken, { name: 'x' });
  });

  describe('agent tokens', () => {
    const tokens = () => `${agents(w.project.id)}/${w.agentId}/tokens`;

    it('#37 two active tokens at most; revoking one frees a slot', async () => {
      const second = await createAgentToken(t, w.admin.headers, w.project, w.agentId, 't2');
      const third = await t.http().post(tokens()).set(w.admin.headers).send({ name: 't3' });
      expect(third.status).toBe(400);
      expect(third.body).toEqual({ message: '400 Bad request - An agent can have only two active tokens at a time' });
      const del = await t.http().delete(`${tokens()}/${second.id}`).set(w.admin.headers);
      expect(del.status).toBe(204);
      expect(del.text).toBe('');
      expect((await t.http().delete(`${tokens()}/${second.id}`).set(w.admin.headers)).status).toBe(204);
      const created = await t.http().post(tokens()).set(w.admin.headers).send({ name: 't3', description: 'third' });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(Number),
        name: 't3',
        description: 'third',
        agent_id: w.agentId,
        status: 'active',
        created_at: expect.any(String),
        created_by_user_id: w.admin.user.id,
        last_used_at: null,
        token: expect.stringMatching(/^glagent-[A-Za-z0-9_-]{50}$/),
      });
      const [row] = await t.dataSource.query(`SELECT token_digest FROM cluster_agent_tokens WHERE id = $1`, [created.body.id]);
      expect(row.token_digest).not.toContain(created.body.token);
      expect(row.token_digest).toMatch(/^[0-9a-f]{64}$/);
      // GET shows active tokens only, without the token
      const got = await t.http().get(`${tokens()}/${created.body.id}`).set(w.admin.headers);
      expect(got.status).toBe(200);
      const { token: _token, ...withoutToken } = created.body;
      expect(got.body).toEqual(withoutToken);
      const revoked = await t.http().get(`${tokens()}/${second.id}`).set(w.admin.headers);
      expect(revoked.status).toBe(404);
      expect(revoked.body).toEqual({ message: '404 Not found' });
      // the new token works
      expect((await t.http().get(`${K}/agent_info`).set({ ...J(), Authorization: `Bearer ${created.body.token}` })).status).toBe(200);
    });

    it('unknown agent, token, or an agent of another project → 404 Not found; validation', async () => {
      const other = await project(t, w.group, 'other-home');
      for (const res of [
        await t.http().post(`${agents(w.project.id)}/999999/tokens`).set(w.admin.headers).send({ name: 'x' }),
        await t.http().post(`${agents(other.id)}/${w.agentId}/tokens`).set(w.admin.headers).send({ name: 'x' }),
        await t.http().get(`${tokens()}/999999`).set(w.admin.headers),
        await t.http().delete(`${tokens()}/999999`).set(w.admin.headers),
        await t.http().delete(`${tokens()}/abc`).set(w.admin.headers),
      ]) {
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ message: '404 Not found' });
      }
      const missing = await t.http().post(tokens()).set(w.admin.headers).send({});
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({ error: 'name is missing' });
    });

    it('model errors of a token', async () => {
      const a = await group(t, 'tok');
      const p = await project(t, a, 'tok');
      const agent = await t.http().post(agents(p.id)).set(w.admin.headers).send({ name: 'tok' });
      const res = await t.http().post(`${agents(p.id)}/${agent.body.id}/tokens`).set(w.admin.headers).send({ name: 'n'.repeat(256), description: 'd'.repeat(1025) });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        message: '400 Bad request - ["Name is too long (maximum is 255 characters)", "Description is too long (maximum is 1024 characters)"]',
      });
    });
  });

  describe('security policy configuration', () => {
    const projectPolicies = () => `/api/v4/projects/${w.project.id}/security_orchestration_policy_configuration`;
    const valid = { name: 'P', enabled: true, actions: [{ scan: 'container_scanning' }], rules: [{ type: 'schedule', cadence: '0 0 * * *' }] };

    it('validates with full paths', async () => {
      const cases: [object, string][] = [
        [{}, 'scan_execution_policy is missing'],
        [{ scan_execution_policy: 'x' }, 'scan_execution_policy is invalid'],
        [{ scan_execution_policy: [{ ...valid, rules: [{ type: 'schedule' }] }] }, 'scan_execution_policy[0][rules][0][cadence] is missing'],
        [{ scan_execution_policy: [{ ...valid, name: '' }] }, 'scan_execution_policy[0][name] is empty'],
        [{ scan_execution_policy: [{ ...valid, enabled: undefined }] }, 'scan_execution_policy[0][enabled] is missing'],
        [{ scan_execution_policy: [{ ...valid, actions: [] }] }, 'scan_execution_policy[0][actions] is empty'],
        [{ scan_execution_policy: [{ ...valid, actions: [{ scan: 'nope' }] }] }, 'scan_execution_policy[0][actions][0][scan] does not have a valid value'],
        [{ scan_execution_policy: [valid, { ...valid, rules: [{ type: 'x' }] }] }, 'scan_execution_policy[1][rules][0][type] does not have a valid value'],
        [
          { scan_execution_policy: [{ ...valid, rules: [{ type: 'schedule', cadence: '1', agents: { a: { namespaces: 'ns' } } }] }] },
          'scan_execution_policy[0][rules][0][agents][a][namespaces] is invalid',
        ],
      ];
      for (const [body, error] of cases) {
        const res = await t.http().put(projectPolicies()).set(w.admin.headers).send(body);
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ error });
      }
    });

    it('replaces, then deletes (404 when none); unknown group → 404 Group Not Found', async () => {
      const put = await t.http().put(projectPolicies()).set(w.admin.headers).send({ scan_execution_policy: [valid] });
      expect(put.status).toBe(200);
      expect(put.body.scan_execution_policy).toEqual([valid]);
      const replaced = await t.http().put(projectPolicies()).set(w.admin.headers).send({ scan_execution_policy: [] });
      expect(replaced.body.scan_execution_policy).toEqual([]);
      expect(replaced.body.id).toBe(put.body.id);
      expect((await t.http().delete(projectPolicies()).set(w.admin.headers)).status).toBe(204);
      const gone = await t.http().delete(projectPolicies()).set(w.admin.headers);
      expect(gone.status).toBe(404);
      expect(gone.body).toEqual({ message: '404 Not found' });
      const noGroup = await t.http().put('/api/v4/groups/999999/security_orchestration_policy_configuration').set(w.admin.headers).send({ scan_execution_policy: [] });
      expect(noGroup.status).toBe(404);
      expect(noGroup.body).toEqual({ message: '404 Group Not Found' });
    });
  });

  describe('GET /projects/:id/vulnerabilities', () => {
    it('pages the findings ordered by id with GitLab headers', async () => {
      const payload = (n: number) => ({
        vulnerability: {
          name: `CVE-${n}`,
          severity: 'low',
          location: { kubernetes_resource: { namespace: 'ns', kind: 'deployment', name: 'app' } },
          identifiers: [{ type: 'cve', name: `CVE-${n}` }],
        },
        scanner: { id: 's', name: 'S', vendor: { name: 'V' } },
      });
      for (const n of [1, 2, 3]) expect((await t.http().put(`${K}/modules/starboard_vulnerability`).set(w.headers()).send(payload(n))).status).toBe(200);
      const res = await t.http().get(`/api/v4/projects/${w.project.id}/vulnerabilities?per_page=2`).set(w.admin.headers);
      expect(res.status).toBe(200);
      expect(res.body).toHaveLength(2);
      expect(res.headers['x-total']).toBe('3');
      expect(res.headers['x-total-pages']).toBe('2');
      expect(res.headers['x-next-page']).toBe('2');
      expect(res.headers.link).toContain('rel="next"');
      expect(Object.keys(res.body[0])).toEqual([
        'id', 'uuid', 'title', 'state', 'severity', 'confidence', 'report_type', 'cluster_agent_id',
        'resolved_on_default_branch', 'author_id', 'created_at', 'updated_at', 'resolved_at',
      ]);
      expect(res.body[0]).toMatchObject({ title: 'CVE-1', state: 'detected', severity: 'low', confidence: 'unknown', cluster_agent_id: w.agentId, author_id: w.creator.id, resolved_at: null });
      const page2 = await t.http().get(`/api/v4/projects/${w.project.id}/vulnerabilities?per_page=2&page=2`).set(w.admin.headers);
      expect(page2.body.map((v: { title: string }) => v.title)).toEqual(['CVE-3']);
      const bad = await t.http().get(`/api/v4/projects/${w.project.id}/vulnerabilities?page=x`).set(w.admin.headers);
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({ error: 'page is invalid' });
    });
  });
});
