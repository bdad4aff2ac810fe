import jwt from 'jsonwebtoken';
import { KAS_SECRET_B64, kasJwt } from '../../helpers/jwt';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { createAgentToken, createWorld, group as createGroup, J, K, KasWorld, project as createProject } from './fixtures';

describe('kas agent routes: agent_info, project_info, verify_project_access', () => {
  let t: TestApp;
  let w: KasWorld;
  beforeAll(async () => {
    t = await createTestApp();
    w = await createWorld(t);
  });
  afterAll(() => t.close());

  const agentInfo = (headers: Record<string, string>) => t.http().get(`${K}/agent_info`).set(headers).redirects(0);
  const now = () => Math.floor(Date.now() / 1000);

  it('#1 agent_info answers the agent, its project and Gitaly coordinates; records token usage', async () => {
    await t.dataSource.query(`UPDATE cluster_agent_tokens SET last_used_at = NULL WHERE id = $1`, [w.tokenId]);
    const res = await agentInfo({ ...w.headers(), Accept: 'application/json' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({
      project_id: Number(w.project.id),
      agent_id: w.agentId,
      agent_name: 'the-agent',
      gitaly_info: { address: 'tcp://gitaly.test:8075', token: 'gt', features: {} },
      gitaly_repository: {
        storage_name: 'default',
        relative_path: `${w.project.disk_path}.git`,
        git_object_directory: '',
        git_alternate_object_directories: [],
        gl_repository: `project-${w.project.id}`,
        gl_project_path: 'g/p',
      },
      default_branch: 'main',
    });
    expect(w.project.id).toBeGreaterThan(0);
    const [row] = await t.dataSource.query(`SELECT last_used_at FROM cluster_agent_tokens WHERE id = $1`, [w.tokenId]);
    expect(Date.now() - new Date(row.last_used_at).getTime()).toBeLessThan(60_000);
  });

  it('token usage is written at most every 40 minutes', async () => {
    const recent = new Date(Date.now() - 10 * 60_000);
    await t.dataSource.query(`UPDATE cluster_agent_tokens SET last_used_at = $2 WHERE id = $1`, [w.tokenId, recent]);
    expect((await agentInfo(w.headers())).status).toBe(200);
    const [row] = await t.dataSource.query(`SELECT last_used_at FROM cluster_agent_tokens WHERE id = $1`, [w.tokenId]);
    expect(new Date(row.last_used_at).getTime()).toBe(recent.getTime());
    await t.dataSource.query(`UPDATE cluster_agent_tokens SET last_used_at = now() - interval '41 minutes' WHERE id = $1`, [w.tokenId]);
    expect((await agentInfo(w.headers())).status).toBe(200);
    const [after] = await t.dataSource.query(`SELECT last_used_at FROM cluster_agent_tokens WHERE id = $1`, [w.tokenId]);
    expect(Date.now() - new Date(after.last_used_at).getTime()).toBeLessThan(60_000);
  });

  it('#2 an empty kas JWT header → 401 KAS JWT authentication invalid', async () => {
    const res = await agentInfo({ 'Gitlab-Kas-Api-Request': '', Authorization: `Bearer ${w.token}` });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: 'KAS JWT authentication invalid' });
  });

  it('#3 the key is the base64-decoded secret, not its text', async () => {
    const wrong = kasJwt({}, Buffer.from(KAS_SECRET_B64));
    const res = await agentInfo({ 'Gitlab-Kas-Api-Request': wrong, Authorization: `Bearer ${w.token}` });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: 'KAS JWT authentication invalid' });
    expect((await agentInfo({ 'Gitlab-Kas-Api-Request': kasJwt(), Authorization: `Bearer ${w.token}` })).status).toBe(200);
  });

  it('#4 aud as a string passes; no aud or another issuer fails', async () => {
    const key = Buffer.from(KAS_SECRET_B64, 'base64');
    const sign = (claims: Record<string, unknown>) => jwt.sign({ iat: now(), nbf: now() - 5, exp: now() + 30, ...claims }, key, { algorithm: 'HS256' });
    const bearer = { Authorization: `Bearer ${w.token}` };
    expect((await agentInfo({ 'Gitlab-Kas-Api-Request': sign({ iss: 'gitlab-kas', aud: 'gitlab' }), ...bearer })).status).toBe(200);
    for (const claims of [{ iss: 'gitlab-kas' }, { iss: 'gitlab-shell', aud: ['gitlab'] }]) {
      const res = await agentInfo({ 'Gitlab-Kas-Api-Request': sign(claims), ...bearer });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ message: 'KAS JWT authentication invalid' });
    }
  });

  it('#5 no agent token, an unknown one or a revoked one → 401 Unauthorized', async () => {
    const revoked = await createAgentToken(t, w.admin.headers, w.project, w.agentId, 'to-revoke');
    await t.dataSource.query(`UPDATE cluster_agent_tokens SET status = 1 WHERE id = $1`, [revoked.id]);
    for (const extra of [{}, { Authorization: 'Bearer NONEXISTENT' }, { Authorization: `Bearer ${revoked.token}` }]) {
      const res = await agentInfo({ ...J(), ...extra });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ message: '401 Unauthorized' });
    }
  });

  it('#6 the Gitlab-Agentk-Api-Request header works without Authorization', async () => {
    const res = await agentInfo({ ...J(), 'Gitlab-Agentk-Api-Request': w.token });
    expect(res.status).toBe(200);
    expect(res.body.agent_id).toBe(w.agentId);
  });

  it('an Authorization header that is not this token wins over Gitlab-Agentk-Api-Request', async () => {
    const res = await agentInfo({ ...J(), Authorization: 'Bearer nope', 'Gitlab-Agentk-Api-Request': w.token });
    expect(res.status).toBe(401);
  });

  describe('project_info / verify_project_access', () => {
    let pub: Awaited<ReturnType<typeof createProject>>;
    const info = (id: string) => t.http().get(`${K}/project_info?id=${id}`).set(w.headers()).redirects(0);
    const verify = (id: string) => t.http().get(`${K}/verify_project_access?id=${id}`).set(w.headers()).redirects(0);
    let privateQ: number;
    let internalQ: number;
    let membersOnlyQ: number;
    beforeAll(async () => {
      const other = await createGroup(t, 'other');
      pub = await createProject(t, other, 'q', { visibility: 20, defaultBranch: 'develop' });
      privateQ = (await createProject(t, other, 'private-q', { visibility: 0 })).id;
      internalQ = (await createProject(t, other, 'internal-q', { visibility: 10 })).id;
      membersOnlyQ = (await createProject(t, other, 'members-q', { visibility: 20, repositoryAccessLevel: 10 })).id;
    });

    it('#7 a public project by id and by URL-encoded path', async () => {
      for (const id of [String(pub.id), 'other%2Fq', 'OTHER/Q']) {
        const res = await info(id);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({
          project_id: Number(pub.id),
          gitaly_info: { address: 'tcp://gitaly.test:8075', token: 'gt', features: {} },
          gitaly_repository: {
            storage_name: 'default',
            relative_path: `${pub.disk_path}.git`,
            git_object_directory: '',
            git_alternate_object_directories: [],
            gl_repository: `project-${pub.id}`,
            gl_project_path: 'other/q',
          },
          default_branch: 'develop',
        });
        expect(res.body.agent_id).toBeUndefined();
      }
    });

    it('#8 private, internal, members-only, unknown, malformed or missing id → 404 Not Found', async () => {
      const cases = [
        info(String(privateQ)),
        info(String(internalQ)),
        info(String(membersOnlyQ)),
        info('999999'),
        info('99999999999999999999999'),
        info('not-a-path'),
        t.http().get(`${K}/project_info`).set(w.headers()),
      ];
      for (const res of await Promise.all(cases)) {
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ message: '404 Not Found' });
      }
    });

    it('#9 the agent project itself, although private', async () => {
      const res = await info(String(w.project.id));
      expect(res.status).toBe(200);
      expect(res.body.project_id).toBe(Number(w.project.id));
      const v = await verify(String(w.project.id));
      expect(v.status).toBe(204);
      expect(v.text).toBe('');
    });

    it('#10 verify_project_access: public 204, private 404', async () => {
      const ok = await verify(String(pub.id));
      expect(ok.status).toBe(204);
      expect(ok.text).toBe('');
      const no = await verify(String(privateQ));
      expect(no.status).toBe(404);
      expect(no.body).toEqual({ message: '404 Not Found' });
    });

    it('projects pending deletion do not exist', async () => {
      const doomed = await createProject(t, pub.namespace ?? (await createGroup(t, 'doomed')), 'doomed-q', { visibility: 20 });
      await t.dataSource.query(`UPDATE projects SET pending_delete = true WHERE id = $1`, [doomed.id]);
      expect((await info(String(doomed.id))).status).toBe(404);
    });
  });

  it('#38 a token revoked through the admin API is refused at once', async () => {
    const extra = await createAgentToken(t, w.admin.headers, w.project, w.agentId, 'short-lived');
    expect((await agentInfo({ ...J(), Authorization: `Bearer ${extra.token}` })).status).toBe(200);
    const del = await t.http().delete(`/api/v4/projects/${w.project.id}/cluster_agents/${w.agentId}/tokens/${extra.id}`).set(w.admin.headers);
    expect(del.status).toBe(204);
    const res = await agentInfo({ ...J(), Authorization: `Bearer ${extra.token}` });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: '401 Unauthorized' });
  });

  it('#39 every agent-token route answers the same with a trailing slash, never 3xx', async () => {
    const routes: [string, string][] = [
      ['get', 'agent_info'],
      ['get', `project_info?id=${w.project.id}`],
      ['get', `verify_project_access?id=${w.project.id}`],
    ];
    for (const [method, path] of routes) {
      const [p, q] = path.split('?');
      const plain = await (t.http() as any)[method](`${K}/${path}`).set(w.headers()).redirects(0);
      const slash = await (t.http() as any)[method](`${K}/${p}/${q ? `?${q}` : ''}`).set(w.headers()).redirects(0);
      expect(plain.status).toBeLessThan(300);
      expect(slash.status).toBe(plain.status);
    }
  });
});
