import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { MembershipRepository } from '../namespaces/membership.repository';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { modelError, paramError } from '../common/api-error';
import { uniqueViolation } from '../common/db-errors';
import { RawParams } from '../common/params.decorator';
import { projectPathError } from '../common/path-format';
import { APP_CONFIG, AppConfig } from '../config/config';
import { User } from '../identity/entities/user.entity';
import { JobQueue, queueToken } from '../jobs/job-queue';
import { Namespace } from '../namespaces/entities/namespace.entity';
import { Project, REPOSITORY_ACCESS } from '../namespaces/entities/project.entity';
import { ProjectsService } from '../namespaces/projects.service';
import { AdminLookupService } from './admin-lookup.service';
import { MemberSource } from './admin-members.service';
import { ParamReader } from './admin-params';
import { AdminPresenter } from './admin-presenter.service';
import { ProjectEntity } from './dto/admin-responses.dto';
import { MAX_FULL_PATH, RedirectRoutesService } from '../namespaces/redirect-routes.service';
import { RepositoryStorageService } from './repository-storage.service';

export const PROJECT_DELETION_QUEUE = 'admin-project-deletion';
export interface ProjectDeletionJob {
  projectId: number;
}

type RepositoryAccessName = keyof typeof REPOSITORY_ACCESS;

/** The attributes of creation and update, read Grape-style. */
function readProjectAttributes(r: ParamReader, storages: string[]) {
  return {
    visibility: r.visibility(),
    defaultBranch: r.string('default_branch'),
    repositoryAccess: r.oneOf<RepositoryAccessName>('repository_access_level', Object.keys(REPOSITORY_ACCESS) as RepositoryAccessName[]),
    lfsEnabled: r.bool('lfs_enabled'),
    printingMergeRequestLinkEnabled: r.bool('printing_merge_request_link_enabled'),
    repositoryStorage: r.oneOf('repository_storage', storages),
    archived: r.bool('archived'),
    repositoryReadOnly: r.bool('repository_read_only'),
    creatorId: r.id('creator_id'),
  };
}

/** A path made from a name when only the name is given (GitLab parameterizes it). */
export function pathFromName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/[_.-]{2,}/g, '-')
    .replace(/^[_.-]+|[_.-]+$/g, '');
}

/** Projects: create, read, update with renames, archive, deletion through a background job. */
@Injectable()
export class AdminProjectsService implements OnModuleInit {
  private readonly logger = new Logger('AdminProjects');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(queueToken(PROJECT_DELETION_QUEUE)) private readonly deletionQueue: JobQueue<ProjectDeletionJob>,
    private readonly lookup: AdminLookupService,
    private readonly presenter: AdminPresenter,
    private readonly redirects: RedirectRoutesService,
    private readonly storage: RepositoryStorageService,
    private readonly projects: ProjectsService,
    private readonly memberships: MembershipRepository,
  ) {}

  onModuleInit(): void {
    this.deletionQueue.process((job) => this.destroy(job.projectId));
  }

  private validateName(name: string | undefined, defaultBranch: string | undefined): void {
    if (name !== undefined && !name.trim()) throw modelError({ name: ["can't be blank"] });
    const errors = ParamReader.tooLong({ name, default_branch: defaultBranch });
    if (Object.keys(errors).length) throw modelError(errors);
  }

  private async checkCreator(m: EntityManager, id: number | undefined): Promise<void> {
    if (id !== undefined) await this.lookup.userById(id, m);
  }

  /** `POST /projects` (namespace `namespace_id`, default the caller's) and `POST /projects/user/:user_id`. */
  async create(params: RawParams, caller: User, ownerId?: string): Promise<ProjectEntity> {
    const r = new ParamReader(params);
    if (!r.has('name') && !r.has('path')) throw paramError('name, path are missing, at least one parameter must be provided');
    let name = r.string('name');
    let path = r.string('path');
    const namespaceParam = ownerId === undefined && r.has('namespace_id') ? r.string('namespace_id') : undefined;
    const a = readProjectAttributes(r, Object.keys(this.config.gitalyStorages));
    r.check();
    if (path === undefined) path = pathFromName(name!);
    if (name === undefined) name = path;
    this.validateName(name, a.defaultBranch);
    const pathError = projectPathError(path);
    if (pathError) throw modelError({ path: [pathError] });
    let project: Project;
    let namespace: Namespace;
    try {
      [project, namespace] = await this.dataSource.transaction(async (m) => {
        let ns: Namespace;
        let creatorId = a.creatorId;
        if (ownerId !== undefined) {
          const owner = await this.lookup.user(ownerId, m);
          ns = await this.lookup.namespace(await this.personalNamespaceId(m, owner.id), m);
          creatorId ??= owner.id;
        } else {
          ns = namespaceParam !== undefined ? await this.lookup.namespace(namespaceParam.trim(), m) : await this.lookup.namespace(await this.personalNamespaceId(m, caller.id), m);
          creatorId ??= caller.id;
        }
        await this.checkCreator(m, a.creatorId);
        if (ns.full_path.length + 1 + path!.length > MAX_FULL_PATH) throw modelError({ path: [`is too long (maximum is ${MAX_FULL_PATH} characters)`] });
        const created = await this.projects.create(
          {
            namespace: ns,
            name: name!,
            path: path!,
            visibilityLevel: a.visibility,
            repositoryAccessLevel: a.repositoryAccess === undefined ? undefined : REPOSITORY_ACCESS[a.repositoryAccess],
            defaultBranch: a.defaultBranch === '' ? null : a.defaultBranch,
            archived: a.archived,
            repositoryReadOnly: a.repositoryReadOnly,
            lfsEnabled: a.lfsEnabled,
            printingMergeRequestLinkEnabled: a.printingMergeRequestLinkEnabled,
            repositoryStorage: a.repositoryStorage,
            creatorId,
          },
          m,
        );
        return [(await m.getRepository(Project).findOne({ where: { id: created.id } }))!, ns] as const;
      });
    } catch (err) {
      if (uniqueViolation(err) !== null) throw modelError({ path: ['has already been taken'] });
      throw err;
    }
    await this.storage.initRepository(project);
    return this.presenter.project(project, namespace);
  }

  private async personalNamespaceId(m: EntityManager, userId: number): Promise<number> {
    const ns = await m.getRepository(Namespace).findOne({ where: { owner_id: userId, type: 'User' } });
    // every user has one; a missing one is answered like an unknown namespace
    return ns ? Number(ns.id) : 0;
  }

  async get(id: string): Promise<ProjectEntity> {
    const project = await this.lookup.project(id);
    return this.presenter.project(project, project.namespace!);
  }

  async update(id: string, params: RawParams): Promise<ProjectEntity> {
    const r = new ParamReader(params);
    const name = r.string('name');
    const path = r.string('path');
    const a = readProjectAttributes(r, Object.keys(this.config.gitalyStorages));
    r.check();
    this.validateName(name, a.defaultBranch);
    if (path !== undefined) {
      const pathError = projectPathError(path);
      if (pathError) throw modelError({ path: [pathError] });
    }
    try {
      return await this.dataSource.transaction(async (m) => {
        const project = await this.lookup.project(id, m, true);
        await this.checkCreator(m, a.creatorId);
        if (path !== undefined) await this.redirects.renameProject(m, project, path);
        const changes: Partial<
          Pick<
            Project,
            | 'name'
            | 'visibility_level'
            | 'default_branch'
            | 'repository_access_level'
            | 'lfs_enabled'
            | 'printing_merge_request_link_enabled'
            | 'repository_storage'
            | 'archived'
            | 'repository_read_only'
            | 'creator_id'
          >
        > = {};
        if (name !== undefined) changes.name = name;
        if (a.visibility !== undefined) changes.visibility_level = a.visibility;
        if (a.defaultBranch !== undefined) changes.default_branch = a.defaultBranch === '' ? null : a.defaultBranch;
        if (a.repositoryAccess !== undefined) changes.repository_access_level = REPOSITORY_ACCESS[a.repositoryAccess];
        if (a.lfsEnabled !== undefined) changes.lfs_enabled = a.lfsEnabled;
        if (a.printingMergeRequestLinkEnabled !== undefined) changes.printing_merge_request_link_enabled = a.printingMergeRequestLinkEnabled;
        if (a.repositoryStorage !== undefined) changes.repository_storage = a.repositoryStorage;
        if (a.archived !== undefined) changes.archived = a.archived;
        if (a.repositoryReadOnly !== undefined) changes.repository_read_only = a.repositoryReadOnly;
        if (a.creatorId !== undefined) changes.creator_id = a.creatorId;
        if (Object.keys(changes).length) await m.getRepository(Project).update(project.id, changes);
        const saved = (await m.getRepository(Project).findOne({ where: { id: project.id } }))!;
        return this.presenter.project(saved, project.namespace!);
      });
    } catch (err) {
      if (uniqueViolation(err) !== null) throw modelError({ path: ['has already been taken'] });
      throw err;
    }
  }

  async setArchived(id: string, archived: boolean): Promise<ProjectEntity> {
    return this.dataSource.transaction(async (m) => {
      const project = await this.lookup.project(id, m, true);
      if (project.archived !== archived) await m.getRepository(Project).update(project.id, { archived });
      const saved = (await m.getRepository(Project).findOne({ where: { id: project.id } }))!;
      return this.presenter.project(saved, project.namespace!);
    });
  }

  /** Marks the project pending deletion at once (it no longer exists for any route) and queues its removal. */
  async scheduleDeletion(id: string): Promise<void> {
    const project = await this.dataSource.transaction(async (m) => {
      const p = await this.lookup.project(id, m, true);
      await m.getRepository(Project).update(p.id, { pending_delete: true });
      return p;
    });
    try {
      await this.deletionQueue.add({ projectId: Number(project.id) }, { jobId: `project-${project.id}` });
    } catch (err) {
      this.logger.error({ err, projectId: project.id }, 'could not queue the deletion of a project (it stays pending deletion)');
    }
  }

  /** The deletion job: the row, its memberships and redirect routes in one transaction, then the local repository. */
  async destroy(projectId: number): Promise<void> {
    const project = await this.dataSource.transaction(async (m) => {
      const p = await m.getRepository(Project).findOne({ where: { id: projectId, pending_delete: true } });
      if (!p) return null;
      await this.memberships.removeAllOf('Project', [Number(p.id)], m);
      await this.redirects.forget(m, 'Project', [Number(p.id)]);
      await m.getRepository(Project).delete(p.id);
      return p;
    });
    if (project) await this.storage.removeRepository(project);
  }

  /** The member source of a project `:id`. */
  source(id: string): MemberSource {
    return { type: 'Project', find: (m) => this.lookup.project(id, m) };
  }
}
