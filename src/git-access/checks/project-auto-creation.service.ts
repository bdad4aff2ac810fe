import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiError } from '../../common/api-error';
import { User } from '../../identity/entities/user.entity';
import { AccessService } from '../../namespaces/access.service';
import { MembersService } from '../../namespaces/members.service';
import { ProjectsService } from '../../namespaces/projects.service';
import { GitHistoryService } from '../git-history.service';
import { MESSAGES } from '../messages';
import { RepositoryService } from '../repository.service';
import { deny } from './access-denied';
import { AccessLookups, PathNamespace } from './access-lookups';
import { PostPushMessages } from './post-push-messages';
import { AccessContext, splitRequestPath } from './request-context';

/**
 * Where a push creates its project: a `git push` by a user (not a deploy key, not the audit event), without real
 * change lines, to a path that designates no project and names a namespace and a project. Null otherwise.
 */
export function autoCreationTarget(
  ctx: Pick<AccessContext, 'project' | 'audit' | 'repo' | 'deployKey' | 'push' | 'any' | 'user'>,
): { namespace: string; project: string } | null {
  if (ctx.project || ctx.audit) return null;
  if (ctx.repo.rule !== 'path' || ctx.repo.excluded) return null;
  if (ctx.deployKey || !ctx.push || !ctx.any || !ctx.user) return null;
  return splitRequestPath(ctx.repo.requestPath);
}

/** `create_projects` in a namespace: admin, own personal namespace, or L(user, group) ≥ 30 (asked only then). */
export async function canCreateProjectsIn(
  user: Pick<User, 'id' | 'admin'>,
  namespace: Pick<PathNamespace, 'type' | 'owner_id'>,
  groupLevel: () => Promise<number>,
): Promise<boolean> {
  if (user.admin) return true;
  if (namespace.type === 'User') return Number(namespace.owner_id) === Number(user.id);
  return (await groupLevel()) >= 30;
}

/** The texts of a failed creation: `{"path":["must not …"]}` → `["Path must not …"]`; any other message as is. */
export function creationErrorMessages(err: ApiError): string[] {
  const errors = (err.body as { message?: unknown }).message;
  if (!errors || typeof errors !== 'object') return [String(errors)];
  const out: string[] = [];
  for (const [attribute, list] of Object.entries(errors as Record<string, string[]>)) {
    const name = attribute.charAt(0).toUpperCase() + attribute.slice(1).replace(/_/g, ' ');
    for (const message of list) out.push(`${name} ${message}`);
  }
  return out;
}

/**
 * G7: `git push` to a new path creates a private project where the user may create projects (the user becomes a
 * Maintainer of a group's new project), with its bare repository on a local storage and a notice for
 * post_receive. A concurrent push that created it first wins: its project is used.
 */
@Injectable()
export class ProjectAutoCreation {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly projects: ProjectsService,
    private readonly access: AccessService,
    private readonly members: MembersService,
    private readonly repositories: RepositoryService,
    private readonly git: GitHistoryService,
    private readonly messages: PostPushMessages,
  ) {}

  /** Sets `ctx.project` when the push creates (or finds) its project; throws 422 when creation fails. */
  async run(ctx: AccessContext, lookups: Pick<AccessLookups, 'namespaceByPath' | 'groupLevel' | 'usePrimary'>): Promise<void> {
    const target = autoCreationTarget(ctx);
    if (!target) return;
    const user = ctx.user!;
    const namespace = await lookups.namespaceByPath(target.namespace);
    if (!namespace || !(await canCreateProjectsIn(user, namespace, () => lookups.groupLevel(user.id, namespace.id)))) return;

    let projectId: number;
    try {
      projectId = await this.create(user, namespace, target.project);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 400) throw err;
      const messages = creationErrorMessages(err);
      if (messages[0] === 'Path has already been taken') {
        // a concurrent push won the race (continue with its project), or a project pending deletion holds the path
        lookups.usePrimary();
        const winner = await this.repositories.resolve(ctx.params);
        if (winner.project) {
          ctx.project = winner.project;
          return;
        }
        if (await this.projects.pendingDeletionHolds(`${namespace.full_path}/${target.project}`)) return;
      }
      throw deny('G7', MESSAGES.couldNotCreateProject(messages.slice(0, 1).join(', ')), 422);
    }
    lookups.usePrimary();
    const project = await this.repositories.projectById(projectId);
    if (!project) return;
    ctx.project = project;
    const local = this.repositories.localRepository(project);
    if (local) await this.git.initBare(local);
    await this.messages.projectCreated(user.id, project, ctx.protocol);
  }

  private create(user: User, namespace: PathNamespace, path: string): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const nsEntity = { id: namespace.id, full_path: namespace.full_path } as never;
      const created = await this.projects.create(
        { namespace: nsEntity, name: path, path, visibilityLevel: 0, creatorId: user.id, defaultBranch: null },
        m,
      );
      if (namespace.type === 'Group' && (await this.access.projectAccessLevel(user.id, created.id, m)) < 40) {
        await this.members.add({ sourceType: 'Project', sourceId: created.id, userId: user.id, accessLevel: 40 }, m);
      }
      return created.id;
    });
  }
}
