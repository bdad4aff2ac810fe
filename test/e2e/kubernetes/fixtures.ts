import { User } from '../../../src/identity/entities/user.entity';
import { Namespace } from '../../../src/namespaces/entities/namespace.entity';
import { Project } from '../../../src/namespaces/entities/project.entity';
import { addMember, createAdmin, createGroup, createProject, createUser } from '../../helpers/factories';
import { kasJwt } from '../../helpers/jwt';
import { TestApp } from '../../helpers/test-app';

export const K = '/api/v4/internal/kubernetes';

/** The setting: agent A `the-agent` in private project P under root group G, creator C Maintainer of P. */
export interface KasWorld {
  admin: { user: User; token: string; headers: Record<string, string> };
  group: Namespace;
  project: Project;
  creator: User;
  agentId: number;
  token: string;
  tokenId: number;
  /** J + T */
  headers: () => Record<string, string>;
}

/** Factories may hand back bigint ids as strings; the API renders numbers. */
export function numericIds<T extends { id: number }>(entity: T): T {
  entity.id = Number(entity.id);
  return entity;
}

export const project = async (...args: Parameters<typeof createProject>) => numericIds(await createProject(...args));
export const group = async (...args: Parameters<typeof createGroup>) => numericIds(await createGroup(...args));
export const user = async (...args: Parameters<typeof createUser>) => numericIds(await createUser(...args));

export const J = () => ({ 'Gitlab-Kas-Api-Request': kasJwt() });

export async function createAgent(t: TestApp, adminHeaders: Record<string, string>, project: Project, name: string, creator?: User): Promise<number> {
  const res = await t
    .http()
    .post(`/api/v4/projects/${project.id}/cluster_agents`)
    .set(adminHeaders)
    .send({ name, ...(creator ? { created_by_user_id: creator.id } : {}) });
  if (res.status !== 201) throw new Error(`agent creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

export async function createAgentToken(t: TestApp, adminHeaders: Record<string, string>, project: Project, agentId: number, name = 't'): Promise<{ token: string; id: number }> {
  const res = await t.http().post(`/api/v4/projects/${project.id}/cluster_agents/${agentId}/tokens`).set(adminHeaders).send({ name });
  if (res.status !== 201) throw new Error(`token creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { token: res.body.token, id: res.body.id };
}

export async function createWorld(t: TestApp, prefix = ''): Promise<KasWorld> {
  const admin = await createAdmin(t, `${prefix}root`);
  numericIds(admin.user);
  const g = await group(t, `${prefix}g`);
  const p = await project(t, g, 'p', { visibility: 0, defaultBranch: null });
  const creator = await user(t, `${prefix}creator`);
  await addMember(t, p, creator, 40);
  const agentId = await createAgent(t, admin.headers, p, 'the-agent', creator);
  const { token, id: tokenId } = await createAgentToken(t, admin.headers, p, agentId);
  return {
    admin,
    group: g,
    project: p,
    creator,
    agentId,
    token,
    tokenId,
    headers: () => ({ ...J(), Authorization: `Bearer ${token}` }),
  };
}
