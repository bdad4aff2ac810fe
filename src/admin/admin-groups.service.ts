import { Injectable } from '@nestjs/common';
import { ProjectsService } from '../namespaces/projects.service';
import { MembershipRepository } from '../namespaces/membership.repository';
import { NamespaceTreeRepository } from '../namespaces/namespace-tree.repository';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { modelError } from '../common/api-error';
import { uniqueViolation } from '../common/db-errors';
import { RawParams } from '../common/params.decorator';
import { isValidNamespacePath, NAMESPACE_PATH_ERROR } from '../common/path-format';
import { GroupsService } from '../namespaces/groups.service';
import { Namespace } from '../namespaces/entities/namespace.entity';
import { Project } from '../namespaces/entities/project.entity';
import { RepositoryStorageService } from './repository-storage.service';
import { AdminLookupService } from './admin-lookup.service';
import { MemberSource } from './admin-members.service';
import { ParamReader } from './admin-params';
import { AdminPresenter } from './admin-presenter.service';
import { GroupEntity } from './dto/admin-responses.dto';
import { MAX_FULL_PATH, RedirectRoutesService } from '../namespaces/redirect-routes.service';

const GIT_ACCESS_PROTOCOLS = ['all', 'ssh', 'http'] as const;

/** Groups. */
@Injectable()
export class AdminGroupsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly groups: GroupsService,
    private readonly projects: ProjectsService,
    private readonly lookup: AdminLookupService,
    private readonly presenter: AdminPresenter,
    private readonly redirects: RedirectRoutesService,
    private readonly storage: RepositoryStorageService,
    private readonly tree: NamespaceTreeRepository,
    private readonly memberships: MembershipRepository,
  ) {}

  private validate(name: string | undefined, path: string | undefined): void {
    const errors: Record<string, string[]> = {};
    if (name !== undefined && !name.trim()) errors.name = ["can't be blank"];
    else if (name !== undefined && name.length > 255) errors.name = ['is too long (maximum is 255 characters)'];
    if (path !== undefined && !isValidNamespacePath(path)) errors.path = [NAMESPACE_PATH_ERROR];
    if (Object.keys(errors).length) throw modelError(errors);
  }

  async create(params: RawParams): Promise<GroupEntity> {
    const r = new ParamReader(params).requireAll('name', 'path');
    const name = r.string('name');
    const path = r.string('path');
    const parentId = r.id('parent_id');
    const visibility = r.visibility();
    const protocol = r.oneOf('enabled_git_access_protocol', GIT_ACCESS_PROTOCOLS);
    r.check();
    this.validate(name, path);
    if (parentId !== undefined) {
      const parent = await this.lookup.group(String(parentId));
      if (parent.full_path.length + 1 + path!.length > MAX_FULL_PATH) throw modelError({ path: [`is too long (maximum is ${MAX_FULL_PATH} characters)`] });
    }
    const group = await this.groups.create({ name: name!, path: path!, parentId: parentId ?? null, visibilityLevel: visibility ?? 0, enabledGitAccessProtocol: protocol ?? null });
    return this.presenter.group(group);
  }

  async get(id: string): Promise<GroupEntity> {
    return this.presenter.group(await this.lookup.group(id));
  }

  async update(id: string, params: RawParams): Promise<GroupEntity> {
    const r = new ParamReader(params);
    const name = r.string('name');
    const path = r.string('path');
    const visibility = r.visibility();
    const protocol = r.oneOf('enabled_git_access_protocol', GIT_ACCESS_PROTOCOLS);
    r.check();
    this.validate(name, path);
    try {
      return await this.dataSource.transaction(async (m) => {
        const group = await this.lookup.group(id, m, true);
        if (path !== undefined) await this.redirects.renameNamespace(m, group, path);
        const changes: Partial<Pick<Namespace, 'name' | 'visibility_level' | 'enabled_git_access_protocol'>> = {};
        if (name !== undefined) changes.name = name;
        if (visibility !== undefined) changes.visibility_level = visibility;
        if (protocol !== undefined) changes.enabled_git_access_protocol = protocol;
        if (Object.keys(changes).length) await m.getRepository(Namespace).update(group.id, changes);
        return this.presenter.group((await m.getRepository(Namespace).findOne({ where: { id: group.id } }))!);
      });
    } catch (err) {
      if (uniqueViolation(err) !== null) throw modelError({ path: ['has already been taken'] });
      throw err;
    }
  }

  /**
   * Deletes a group with its subgroups and their projects in one transaction, with the memberships and
   * redirect routes of all of them (ext: GitLab answers 202 and deletes later; here the deletion is immediate).
   */
  async remove(id: string): Promise<void> {
    const projects = await this.dataSource.transaction(async (m) => {
      const group = await this.lookup.group(id, m, true);
      const namespaceIds = await this.tree.descendantIds(Number(group.id), m);
      const projects = await m.getRepository(Project).createQueryBuilder('p').where('p.namespace_id IN (:...ids)', { ids: namespaceIds }).getMany();
      const projectIds = projects.map((p) => Number(p.id));
      await this.memberships.removeAllOf('Namespace', namespaceIds, m);
      await this.memberships.removeAllOf('Project', projectIds, m);
      await this.redirects.forget(m, 'Namespace', namespaceIds);
      await this.redirects.forget(m, 'Project', projectIds);
      await this.projects.deleteRows(projectIds, m);
      await this.groups.deleteRow(Number(group.id), m);
      return projects;
    });
    for (const p of projects) await this.storage.removeRepository(p);
  }

  /** The member source of a group `:id`. */
  source(id: string): MemberSource {
    return { type: 'Namespace', find: (m) => this.lookup.group(id, m) };
  }
}
