import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ApiError, notFound, recordNotFound } from '../common/api-error';
import { idParam, isoTimestamp } from '../common/coerce';
import { uniqueViolation } from '../common/db-errors';
import { sha256Hex } from '../common/secrets';
import { User } from '../identity/entities/user.entity';
import { GroupsService } from '../namespaces/groups.service';
import { Namespace } from '../namespaces/entities/namespace.entity';
import { Project } from '../namespaces/entities/project.entity';
import { ProjectsService } from '../namespaces/projects.service';
import { generateAgentToken } from './agent-tokens';
import { ClusterAgent, ClusterAgentToken, TOKEN_STATUS } from './entities';
import { isStorableText } from '../common/storable-text';
import { CreateAgentTokenBody, CreateClusterAgentBody } from './dto/admin.dto';

export const AGENT_NAME_REGEX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const AGENT_NAME_FORMAT = "Name can contain only lowercase letters, digits, and '-', but cannot start or end with '-'";

/** GitLab's rendering of service model errors on these routes: `400 Bad request - ["a", "b"]`. */
export const serviceErrors = (messages: string[]) =>
  new ApiError(400, { message: `400 Bad request - [${messages.map((m) => JSON.stringify(m)).join(', ')}]` });

const charLength = (s: string) => Array.from(s).length;

/** Admin fixtures: agents and their tokens. */
@Injectable()
export class ClusterAgentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly projects: ProjectsService,
    private readonly groups: GroupsService,
  ) {}

  /** `:id` of a project route: numeric id or full path; unknown → 404 Project Not Found. */
  async findProject(id: string): Promise<Project> {
    const project = await this.findByIdOrPath(id, (v) => this.projects.find(v));
    if (!project) throw notFound('Project');
    return project;
  }

  async findGroup(id: string): Promise<Namespace> {
    const group = await this.findByIdOrPath(id, (v) => this.groups.find(v));
    if (!group) throw notFound('Group');
    return group;
  }

  private async findByIdOrPath<T>(id: string, find: (v: string | number) => Promise<T | null>): Promise<T | null> {
    if (typeof id !== 'string' || id === '' || !isStorableText(id)) return null;
    if (/^\d+$/.test(id)) {
      const n = idParam(id);
      return typeof n === 'number' ? find(n) : null;
    }
    return find(id);
  }

  /** The agent `:agent_id` of project; unknown or another project's → 404 Not found. */
  async findAgent(project: Project, agentId: string, manager: EntityManager = this.dataSource.manager): Promise<ClusterAgent> {
    const id = idParam(agentId);
    if (typeof id !== 'number') throw recordNotFound();
    const agent = await manager.getRepository(ClusterAgent).findOne({ where: { id, project_id: project.id } });
    if (!agent) throw recordNotFound();
    return agent;
  }

  async createAgent(project: Project, input: CreateClusterAgentBody, admin: User) {
    const { name: agentName, created_by_user_id: createdBy } = input;
    let creatorId: number | null = admin.id;
    if (createdBy !== undefined) {
      const user = createdBy >= 1 ? await this.dataSource.getRepository(User).findOne({ where: { id: createdBy } }) : null;
      if (!user) throw notFound('User');
      creatorId = user.id;
    }
    const messages: string[] = [];
    if (agentName.trim() === '') messages.push("Name can't be blank");
    if (charLength(agentName) > 63) messages.push('Name is too long (maximum is 63 characters)');
    if (await this.dataSource.getRepository(ClusterAgent).exists({ where: { project_id: project.id, name: agentName } })) {
      messages.push('Name has already been taken');
    }
    if (!AGENT_NAME_REGEX.test(agentName)) messages.push(AGENT_NAME_FORMAT);
    if (messages.length) throw serviceErrors(messages);
    try {
      const repo = this.dataSource.getRepository(ClusterAgent);
      const agent = await repo.save(
        repo.create({
          project_id: project.id,
          name: agentName,
          created_by_user_id: creatorId,
          has_vulnerabilities: false,
          config: null,
          config_received_at: null,
        }),
      );
      return {
        id: Number(agent.id),
        name: agent.name,
        config_project: { id: Number(project.id) },
        created_at: isoTimestamp(agent.created_at),
        created_by_user_id: numberOrNull(agent.created_by_user_id),
      };
    } catch (err) {
      if (uniqueViolation(err) !== null) throw serviceErrors(['Name has already been taken']);
      throw err;
    }
  }

  async createToken(project: Project, agentId: string, input: CreateAgentTokenBody, admin: User) {
    const { name, description } = input;
    const token = generateAgentToken();
    const row = await this.dataSource.transaction(async (m) => {
      const agent = await this.findAgent(project, agentId, m);
      // serialize token creation per agent so the two-token limit holds under concurrency
      await m.query(`SELECT id FROM cluster_agents WHERE id = $1 FOR UPDATE`, [agent.id]);
      const active = await m.getRepository(ClusterAgentToken).count({ where: { agent_id: agent.id, status: TOKEN_STATUS.active } });
      if (active >= 2) throw new ApiError(400, { message: '400 Bad request - An agent can have only two active tokens at a time' });
      const messages: string[] = [];
      if (name.trim() === '') messages.push("Name can't be blank");
      if (charLength(name) > 255) messages.push('Name is too long (maximum is 255 characters)');
      if (description !== undefined && charLength(description) > 1024)
        messages.push('Description is too long (maximum is 1024 characters)');
      if (messages.length) throw serviceErrors(messages);
      const repo = m.getRepository(ClusterAgentToken);
      return repo.save(
        repo.create({
          agent_id: agent.id,
          project_id: agent.project_id,
          token_digest: sha256Hex(token),
          name,
          description: description ?? null,
          status: TOKEN_STATUS.active,
          created_by_user_id: admin.id,
          last_used_at: null,
        }),
      );
    });
    return { ...tokenView(row), token };
  }

  async getToken(project: Project, agentId: string, tokenId: string) {
    const agent = await this.findAgent(project, agentId);
    const id = idParam(tokenId);
    if (typeof id !== 'number') throw recordNotFound();
    const row = await this.dataSource
      .getRepository(ClusterAgentToken)
      .findOne({ where: { id, agent_id: agent.id, status: TOKEN_STATUS.active } });
    if (!row) throw recordNotFound();
    return tokenView(row);
  }

  async revokeToken(project: Project, agentId: string, tokenId: string): Promise<void> {
    const agent = await this.findAgent(project, agentId);
    const id = idParam(tokenId);
    if (typeof id !== 'number') throw recordNotFound();
    const repo = this.dataSource.getRepository(ClusterAgentToken);
    const row = await repo.findOne({ where: { id, agent_id: agent.id } });
    if (!row) throw recordNotFound();
    if (row.status !== TOKEN_STATUS.revoked) await repo.update(row.id, { status: TOKEN_STATUS.revoked });
  }
}

export function tokenView(row: ClusterAgentToken) {
  return {
    id: Number(row.id),
    name: row.name,
    description: row.description,
    agent_id: Number(row.agent_id),
    status: row.status === TOKEN_STATUS.active ? 'active' : 'revoked',
    created_at: isoTimestamp(row.created_at),
    created_by_user_id: numberOrNull(row.created_by_user_id),
    last_used_at: isoTimestamp(row.last_used_at),
  };
}

const numberOrNull = (v: number | string | null): number | null => (v === null || v === undefined ? null : Number(v));
