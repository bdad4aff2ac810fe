import { SECURITY } from '../../src/auth/security-schemes';
import { createAdmin, createGroup, createPat, createProject, createUser } from './factories';
import { kasJwt, shellJwt } from './jwt';
import { TestApp } from './test-app';

import type { Credential } from '../../src/contract/requests';

export type { Credential };

/**
 * One valid credential per auth scheme, issued through the real routes where a module issues them (SCIM tokens,
 * agent tokens); a well-formed but unknown token where the issuing route does not exist.
 */
export async function credentialsForEveryScheme(t: TestApp): Promise<Record<string, Credential>> {
  const admin = await createAdmin(t, 'walkadmin');
  const user = await createUser(t, 'walkuser');
  const userToken = await createPat(t, user, ['api']);
  const group = await createGroup(t, 'walkgrp');
  const project = await createProject(t, group, 'walkproj');
  const post = (path: string, body: object = {}) => t.http().post(path).set(admin.headers).send(body);

  const scimGroup = await post(`/api/v4/groups/${group.id}/scim/token`);
  const scimInstance = await post('/api/v4/application/scim/token');
  let agentToken = 'glagent-' + 'x'.repeat(50);
  const agent = await post(`/api/v4/projects/${project.id}/cluster_agents`, { name: 'walk-agent' });
  if (agent.status === 201) {
    const token = await post(`/api/v4/projects/${project.id}/cluster_agents/${agent.body.id}/tokens`, { name: 'walk' });
    if (token.status === 201) agentToken = token.body.token;
  }
  const scimGroupToken = scimGroup.status === 201 ? scimGroup.body.token : 'glsoat-unknown-group';
  const scimInstanceToken = scimInstance.status === 201 ? scimInstance.body.token : 'glsoat-unknown-instance';
  return {
    [SECURITY.shell]: { name: SECURITY.shell, headers: () => ({ 'Gitlab-Shell-Api-Request': shellJwt() }) },
    [SECURITY.kas]: { name: SECURITY.kas, headers: () => ({ 'Gitlab-Kas-Api-Request': kasJwt() }) },
    [SECURITY.kasAgent]: { name: SECURITY.kasAgent, headers: () => ({ 'Gitlab-Kas-Api-Request': kasJwt(), Authorization: `Bearer ${agentToken}` }) },
    [SECURITY.admin]: { name: SECURITY.admin, headers: () => ({ 'PRIVATE-TOKEN': admin.token }) },
    [SECURITY.user]: { name: SECURITY.user, headers: () => ({ 'PRIVATE-TOKEN': userToken }) },
    [SECURITY.scimGroup]: { name: SECURITY.scimGroup, headers: () => ({ Authorization: `Bearer ${scimGroupToken}` }) },
    [SECURITY.scimInstance]: { name: SECURITY.scimInstance, headers: () => ({ Authorization: `Bearer ${scimInstanceToken}` }) },
    [SECURITY.errorTracking]: { name: SECURITY.errorTracking, headers: () => ({ 'Gitlab-Error-Tracking-Token': 'ettoken' }) },
  };
}

export { acceptedBy } from '../../src/contract/requests';
