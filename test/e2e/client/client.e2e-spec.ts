/**
 * The generated TypeScript client (openapi/client: openapi-typescript types + openapi-fetch) against a real
 * listener, a few calls per consumer family. The file is type-checked against the committed document by
 * test/e2e/contract.e2e-spec.ts, so a change of the document that breaks these callers breaks the build.
 */
import { createGitlabInternalApiClient, GitlabInternalApiClient } from '../../../openapi/client';
import { createAdmin, createGroup, createProject, createUser, addUserKey } from '../../helpers/factories';
import { kasJwt, shellJwt } from '../../helpers/jwt';
import { prismClientMiddleware } from '../../helpers/prism';
import { createTestApp, TestApp } from '../../helpers/test-app';

describe('the generated client calls every family', () => {
  let t: TestApp;
  let base: string;
  let admin: GitlabInternalApiClient;
  let shell: GitlabInternalApiClient;
  let projectId: number;
  let groupId: number;

  const client = (headers: Record<string, string>) => {
    const c = createGitlabInternalApiClient(base, { headers });
    c.use(prismClientMiddleware());
    return c;
  };

  beforeAll(async () => {
    t = await createTestApp();
    base = await t.listen();
    const root = await createAdmin(t, 'clientroot');
    admin = client(root.headers);
    shell = client({});
    shell.use({ onRequest: ({ request }) => (request.headers.set('Gitlab-Shell-Api-Request', shellJwt()), request) });
    const group = await createGroup(t, 'clientgrp');
    groupId = Number(group.id);
    projectId = Number((await createProject(t, group, 'clientproj')).id);
  });
  afterAll(() => t.close());

  describe('GitLab Shell and Gitaly', () => {
    it('discover finds a user by key id', async () => {
      const user = await createUser(t, 'clientalice');
      const key = await addUserKey(t, user);
      const { data, response } = await shell.GET('/api/v4/internal/discover', { params: { query: { key_id: String(key.id) } } });
      expect(response.status).toBe(200);
      expect(data).toEqual({ id: Number(user.id), username: 'clientalice', name: user.name });
    });
    it('allowed denies an unknown key with a typed error body', async () => {
      const { data, error, response } = await shell.POST('/api/v4/internal/allowed', {
        body: { action: 'git-upload-pack', key_id: '999999', project: 'clientgrp/clientproj', protocol: 'ssh', changes: '_any' },
      });
      expect(data).toBeUndefined();
      expect([401, 403, 404]).toContain(response.status);
      expect(error).toBeDefined();
    });
  });

  describe('kas', () => {
    it('agent_info answers for a token issued through the admin client', async () => {
      const agent = await admin.POST('/api/v4/projects/{id}/cluster_agents', { params: { path: { id: String(projectId) } }, body: { name: 'client-agent' } });
      expect(agent.response.status).toBe(201);
      const token = await admin.POST('/api/v4/projects/{id}/cluster_agents/{agent_id}/tokens', {
        params: { path: { id: String(projectId), agent_id: String(agent.data!.id) } },
        body: { name: 'client' },
      });
      expect(token.response.status).toBe(201);
      const kas = client({ 'Gitlab-Kas-Api-Request': kasJwt(), Authorization: `Bearer ${token.data!.token}` });
      const info = await kas.GET('/api/v4/internal/kubernetes/agent_info');
      expect(info.response.status).toBe(200);
      expect(info.data!.agent_id).toBe(agent.data!.id);
      expect(info.data!.project_id).toBe(projectId);
    });
  });

  describe('billing portal', () => {
    it('reads a namespace and answers 404 for an unknown one', async () => {
      const found = await admin.GET('/api/v4/internal/gitlab_subscriptions/namespaces/{id}', { params: { path: { id: String(groupId) } } });
      expect(found.response.status).toBe(200);
      expect(found.data!.id).toBe(groupId);
      const missing = await admin.GET('/api/v4/internal/gitlab_subscriptions/namespaces/{id}', { params: { path: { id: '987654' } } });
      expect(missing.response.status).toBe(404);
    });
  });

  describe('SCIM', () => {
    it('creates and lists users with a group token issued through the admin client', async () => {
      const issued = await admin.POST('/api/v4/groups/{id}/scim/token', { params: { path: { id: String(groupId) } }, body: {} });
      expect(issued.response.status).toBe(201);
      const scim = client({ Authorization: `Bearer ${issued.data!.token}` });
      const created = await scim.POST('/api/scim/v2/groups/{group_path}/Users', {
        params: { path: { group_path: 'clientgrp' } },
        body: { externalId: 'ext-1', userName: 'scimclient', emails: [{ value: 'scimclient@example.com', primary: true, type: 'work' }], active: true },
      });
      expect(created.response.status).toBe(201);
      const list = await scim.GET('/api/scim/v2/groups/{group_path}/Users', { params: { path: { group_path: 'clientgrp' } } });
      expect(list.response.status).toBe(200);
      expect(list.data!.Resources.map((u) => u.externalId)).toContain('ext-1');
      const slash = await scim.GET('/api/scim/v2/groups/{group_path}/Users/', { params: { path: { group_path: 'clientgrp' } } });
      expect(slash.response.status).toBe(200);
      expect(slash.data!.totalResults).toBe(list.data!.totalResults);
    });
  });

  describe('error tracking', () => {
    it('a client key created through the admin client is allowed', async () => {
      const path = { id: String(projectId) };
      expect((await admin.PUT('/api/v4/application/settings', { body: { error_tracking_enabled: true } })).response.status).toBe(200);
      expect((await admin.PUT('/api/v4/projects/{id}/error_tracking/settings', { params: { path }, body: { active: true, integrated: true } })).response.status).toBe(200);
      const key = await admin.POST('/api/v4/projects/{id}/error_tracking/client_keys', { params: { path }, body: {} });
      expect(key.response.status).toBe(201);
      const tracker = client({ 'Gitlab-Error-Tracking-Token': 'ettoken' });
      const allowed = await tracker.POST('/api/v4/internal/error_tracking/allowed', { body: { project_id: projectId, public_key: key.data!.public_key } });
      expect(allowed.response.status).toBe(200);
      expect(allowed.data).toEqual({ enabled: true });
    });
  });

  describe('instance', () => {
    it('check reports the version', async () => {
      const { data, response } = await shell.GET('/api/v4/internal/check');
      expect(response.status).toBe(200);
      expect(data!.api_version).toBe('v4');
    });
  });

  describe('admin', () => {
    it('creates a user, reads it back, and gets a typed 404 for an unknown one', async () => {
      const created = await admin.POST('/api/v4/users', { body: { username: 'clientbob', name: 'Bob', email: 'clientbob@example.com', password: 'a-long-password-1' } });
      expect(created.response.status).toBe(201);
      const read = await admin.GET('/api/v4/users/{id}', { params: { path: { id: String(created.data!.id) } } });
      expect(read.data!.username).toBe('clientbob');
      const missing = await admin.GET('/api/v4/users/{id}', { params: { path: { id: '987654' } } });
      expect(missing.response.status).toBe(404);
      expect(missing.error).toEqual({ message: '404 User Not Found' });
    });
  });
});
