import { Inject, Injectable } from '@nestjs/common';
import { PersonalAccessTokensService } from '../identity/personal-access-tokens.service';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ApiError, badRequest, forbidden, notFound, recordNotFound } from '../common/api-error';
import { idParam, stringParam, todayUtc } from '../common/coerce';
import { APP_CONFIG, AppConfig } from '../config/config';
import { ReadReplicas } from '../database/read-replicas';
import { AccessService } from '../namespaces/access.service';
import { NamespaceTreeRepository } from '../namespaces/namespace-tree.repository';
import { Project } from '../namespaces/entities/project.entity';
import { ProjectsService } from '../namespaces/projects.service';
import { KasAgent } from './agent-token.resolver';
import { AccessKind, ClusterAgent, ClusterAgentAuthorization } from './entities';
import { defaultBranch, gitalyInfo, gitalyRepository } from './gitaly';
import { Hash, isHash } from '../common/params';
import { isStorableText } from '../common/storable-text';
import { AgentConfigurationBody, AuthorizeProxyUserBody } from './dto/kas.dto';

const ACCESS_KINDS: AccessKind[] = ['ci_access', 'user_access'];
const MAX_CONFIG_ENTRIES = 500;
const DEVELOPER = 30;
const ROLES: [string, number][] = [
  ['guest', 10],
  ['reporter', 20],
  ['developer', 30],
  ['maintainer', 40],
  ['owner', 50],
];

/** agent_info, project_info, verify_project_access, agent_configuration, authorize_proxy_user. */
@Injectable()
export class KasService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly projects: ProjectsService,
    private readonly access: AccessService,
    private readonly replicas: ReadReplicas,
    private readonly tree: NamespaceTreeRepository,
    private readonly pats: PersonalAccessTokensService,
  ) {}

  agentInfo(agent: KasAgent) {
    const p = agent.project;
    return {
      project_id: p.id,
      agent_id: agent.id,
      agent_name: agent.name,
      gitaly_info: gitalyInfo(this.config, p),
      gitaly_repository: gitalyRepository(p),
      default_branch: defaultBranch(p),
    };
  }

  /** access rule: the project exists and is anonymously readable or is the agent's own project. */
  async accessibleProject(agent: KasAgent, rawId: unknown): Promise<Project> {
    const raw = stringParam(rawId);
    const id = raw !== undefined && isStorableText(raw) ? raw : undefined;
    let project: Project | null = null;
    if (id !== undefined && /^\d+$/.test(id)) {
      const n = idParam(id);
      if (typeof n === 'number') project = await this.replicas.read((m) => this.projects.find(n, m));
    } else if (id !== undefined && id.includes('/')) {
      project = await this.replicas.read((m) => this.projects.find(id, m));
    }
    if (!project) throw notFound();
    const anonymous = project.visibility_level === 20 && project.repository_access_level === 20;
    if (!anonymous && project.id !== agent.project_id) throw notFound();
    return project;
  }

  async projectInfo(agent: KasAgent, rawId: unknown) {
    const p = await this.accessibleProject(agent, rawId);
    return {
      project_id: p.id,
      gitaly_info: gitalyInfo(this.config, p),
      gitaly_repository: gitalyRepository(p),
      default_branch: defaultBranch(p),
    };
  }

  /** stores the configuration and replaces the agent's ci_access / user_access authorizations. */
  async agentConfiguration(input: AgentConfigurationBody): Promise<void> {
    const { agent_id: agentId, agent_config: config } = input;
    if (agentId < 1) throw recordNotFound();
    await this.dataSource.transaction(async (m) => {
      const agent = await m.getRepository(ClusterAgent).findOne({ where: { id: agentId }, relations: { project: true } });
      if (!agent || !agent.project || agent.project.pending_delete) throw recordNotFound();
      await m.query(`UPDATE cluster_agents SET config = $2::jsonb, config_received_at = now(), updated_at = now() WHERE id = $1`, [
        agent.id,
        JSON.stringify(config),
      ]);
      const root = await this.rootNamespace(m, agent.project.namespace_id);
      for (const kind of ACCESS_KINDS) {
        const section = isHash(config[kind]) ? (config[kind] as Hash) : {};
        await this.replaceAuthorizations(m, agent.id, kind, section, root);
      }
    });
  }

  private async rootNamespace(m: EntityManager, namespaceId: number): Promise<{ full_path: string; type: string }> {
    return (await this.tree.root(namespaceId, m))!;
  }

  private async replaceAuthorizations(
    m: EntityManager,
    agentId: number,
    kind: AccessKind,
    section: Hash,
    root: { full_path: string; type: string },
  ): Promise<void> {
    const rowConfig = (entry: Hash): Hash => {
      if (kind === 'user_access') return section.access_as !== undefined ? { access_as: section.access_as } : {};
      const { id: _id, ...rest } = entry;
      return rest;
    };
    const entries = (list: unknown): { path: string; entry: Hash }[] =>
      (Array.isArray(list) ? list.slice(0, MAX_CONFIG_ENTRIES) : [])
        .filter((e): e is Hash => isHash(e) && typeof e.id === 'string' && e.id !== '')
        .map((entry) => ({ path: entry.id as string, entry }));

    const projectRows = new Map<number, Hash>();
    const projectEntries = entries(section.projects);
    if (projectEntries.length) {
      const found = await this.tree.liveProjectsByPathUnder(
        projectEntries.map((e) => e.path.toLowerCase()),
        root.full_path,
        m,
      );
      const byPath = new Map(found.map((r) => [r.path, Number(r.id)]));
      for (const e of projectEntries) {
        const id = byPath.get(e.path.toLowerCase());
        if (id !== undefined && !projectRows.has(id)) projectRows.set(id, rowConfig(e.entry));
      }
    }
    const groupRows = new Map<number, Hash>();
    const groupEntries = entries(section.groups);
    if (groupEntries.length && root.type === 'Group') {
      const found = await this.tree.groupsByPathWithin(
        groupEntries.map((e) => e.path.toLowerCase()),
        root.full_path,
        m,
      );
      const byPath = new Map(found.map((r) => [r.path, Number(r.id)]));
      for (const e of groupEntries) {
        const id = byPath.get(e.path.toLowerCase());
        if (id !== undefined && !groupRows.has(id)) groupRows.set(id, rowConfig(e.entry));
      }
    }
    await m.query(
      `DELETE FROM cluster_agent_authorizations WHERE agent_id = $1 AND access_kind = $2
         AND NOT (COALESCE(project_id = ANY($3::bigint[]), false) OR COALESCE(group_id = ANY($4::bigint[]), false))`,
      [agentId, kind, [...projectRows.keys()], [...groupRows.keys()]],
    );
    for (const [projectId, cfg] of projectRows) {
      await m.query(
        `INSERT INTO cluster_agent_authorizations (agent_id, access_kind, project_id, config) VALUES ($1, $2, $3, $4::jsonb)
         ON CONFLICT (agent_id, access_kind, project_id) WHERE project_id IS NOT NULL
         DO UPDATE SET config = EXCLUDED.config, updated_at = now()`,
        [agentId, kind, projectId, JSON.stringify(cfg)],
      );
    }
    for (const [groupId, cfg] of groupRows) {
      await m.query(
        `INSERT INTO cluster_agent_authorizations (agent_id, access_kind, group_id, config) VALUES ($1, $2, $3, $4::jsonb)
         ON CONFLICT (agent_id, access_kind, group_id) WHERE group_id IS NOT NULL
         DO UPDATE SET config = EXCLUDED.config, updated_at = now()`,
        [agentId, kind, groupId, JSON.stringify(cfg)],
      );
    }
  }

  /** which user, through which agent, may reach which projects and groups, and as whom. */
  async authorizeProxyUser(input: AuthorizeProxyUserBody) {
    const { agent_id: agentId, access_type: accessType, access_key: accessKey } = input;

    // 1. the user
    if (accessType === 'session_cookie') throw badRequest('Invalid access_key');
    const user = await this.patUser(accessKey);

    // 2. the agent
    const agent =
      agentId >= 1
        ? await this.dataSource.getRepository(ClusterAgent).findOne({ where: { id: agentId }, relations: { project: true } })
        : null;
    if (!agent || !agent.project || agent.project.pending_delete) throw recordNotFound();

    // 3. access_as from the user_access authorizations
    const rows = await this.dataSource.getRepository(ClusterAgentAuthorization).find({
      where: { agent_id: agent.id, access_kind: 'user_access' },
      order: { id: 'ASC' },
    });
    const accessAs = rows.map((r) => r.config?.access_as).find((a) => a !== undefined);
    if (!rows.length || !isHash(accessAs) || Object.keys(accessAs).length !== 1) throw forbidden();

    // 4. entities the user reaches with developer access or more
    if (user.state !== 'active') throw forbidden();
    const projects: { id: number; roles: string[] }[] = [];
    const groups: { id: number; roles: string[] }[] = [];
    for (const row of rows) {
      if (row.project_id !== null) {
        const live = await this.dataSource.getRepository(Project).exists({ where: { id: row.project_id, pending_delete: false } });
        const level = live ? await this.access.projectAccessLevel(user.id, row.project_id) : 0;
        if (level >= DEVELOPER) projects.push({ id: row.project_id, roles: roles(level) });
      } else if (row.group_id !== null) {
        const level = await this.access.groupAccessLevel(user.id, row.group_id);
        if (level >= DEVELOPER) groups.push({ id: row.group_id, roles: roles(level) });
      }
    }
    if (!projects.length && !groups.length) throw forbidden();

    // 5. the answer
    const key = Object.keys(accessAs)[0];
    let access_as: Hash;
    if (key === 'agent') access_as = { agent: {} };
    else if (key === 'user') access_as = { user: { projects, groups } };
    else throw forbidden();
    return {
      agent: { id: agent.id, config_project: { id: agent.project_id } },
      user: { id: user.id, username: user.username },
      access_as,
    };
  }

  private async patUser(accessKey: string) {
    if (accessKey === '') throw badRequest('Unable to get user from request data');
    const pat = await this.pats.findByToken(accessKey);
    if (!pat || !pat.user) throw badRequest('Unable to get user from request data');
    if (pat.revoked) {
      throw new ApiError(401, { error: 'invalid_token', error_description: 'Token was revoked. You have to re-authorize from the user.' });
    }
    if (pat.expires_at !== null && pat.expires_at < todayUtc()) {
      throw new ApiError(401, {
        error: 'invalid_token',
        error_description: 'Token is expired. You can either do re-authorization or token refresh.',
      });
    }
    if (!Array.isArray(pat.scopes) || !pat.scopes.includes('k8s_proxy')) {
      throw new ApiError(403, {
        error: 'insufficient_scope',
        error_description: 'The request requires higher privileges than provided by the access token.',
        scope: 'k8s_proxy',
      });
    }
    await this.pats.touch(pat.id);
    return pat.user;
  }
}

const roles = (level: number): string[] => ROLES.filter(([, l]) => l <= level).map(([name]) => name);
