import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { conflict, modelError, notFound } from '../common/api-error';
import { uniqueViolation } from '../common/db-errors';
import { PageRequest, Paginated } from '../common/pagination';
import { Identity } from '../identity/entities/identity.entity';
import { User } from '../identity/entities/user.entity';
import { UsersService } from '../identity/users.service';
import { GroupsService } from '../namespaces/groups.service';
import { MembershipRepository } from '../namespaces/membership.repository';
import { Namespace } from '../namespaces/entities/namespace.entity';
import { Project } from '../namespaces/entities/project.entity';
import { ProjectsService } from '../namespaces/projects.service';
import { AdminLookupService } from './admin-lookup.service';
import { AdminPresenter } from './admin-presenter.service';
import { UserEntity } from './dto/admin-responses.dto';
import { CreateUserBody, ListUsersQuery, UpdateUserBody } from './dto/users.dto';
import { hashPassword } from './password';
import { RedirectRoutesService } from '../namespaces/redirect-routes.service';
import { RepositoryStorageService } from './repository-storage.service';
import { checkUserAttributes, userChanges } from './users/user-attributes';
import { nextState, StateAction } from './users/user-state';

/** Users: creation with the personal namespace, updates with renames, state transitions, deletion. */
@Injectable()
export class AdminUsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly lookup: AdminLookupService,
    private readonly presenter: AdminPresenter,
    private readonly redirects: RedirectRoutesService,
    private readonly storage: RepositoryStorageService,
    private readonly memberships: MembershipRepository,
    private readonly groups: GroupsService,
    private readonly projects: ProjectsService,
  ) {}

  private async checkEnterpriseGroup(m: EntityManager, id: number | undefined | null): Promise<void> {
    if (id === undefined || id === null) return;
    if (!(await m.getRepository(Namespace).exists({ where: { id, type: 'Group' } }))) throw notFound('Group');
  }

  async create(input: CreateUserBody): Promise<UserEntity> {
    const { email, name, username } = input;
    const a = { ...input, externUid: input.extern_uid, enterpriseGroupId: input.enterprise_group_id, notificationEmail: input.notification_email };
    checkUserAttributes(input);
    const encryptedPassword = input.password !== undefined ? await hashPassword(input.password) : null;
    return this.dataSource.transaction(async (m) => {
      await this.checkEnterpriseGroup(m, a.enterpriseGroupId);
      // the username is checked before the email
      if (
        (await m.getRepository(User).createQueryBuilder('u').where('lower(u.username) = lower(:n)', { n: username }).getExists()) ||
        (await this.redirects.taken(m, username, { type: 'Namespace', id: 0 }))
      )
        throw conflict('Username has already been taken');
      if (a.provider !== undefined && (await m.getRepository(Identity).exists({ where: { provider: a.provider, extern_uid: a.externUid! } })))
        throw modelError({ 'identities.extern_uid': ['has already been taken'] });
      const user = await this.users.create(
        {
          username: username,
          name,
          email,
          encryptedPassword,
          admin: a.admin,
          external: a.external,
          state: a.state,
          enterpriseGroupId: a.enterpriseGroupId ?? null,
          notificationEmail: a.notificationEmail || null,
          identity: a.provider !== undefined ? { provider: a.provider, externUid: a.externUid! } : undefined,
        },
        m,
      );
      // the personal namespace now lives at this path: it no longer redirects
      await this.redirects.release(m, username);
      return this.presenter.user(user, m);
    });
  }

  async get(id: string): Promise<UserEntity> {
    return this.presenter.user(await this.lookup.user(id));
  }

  async list(query: ListUsersQuery, page: PageRequest): Promise<Paginated<UserEntity>> {
    const { username, search } = query;
    const qb = this.dataSource.getRepository(User).createQueryBuilder('u');
    if (username !== undefined) qb.where('lower(u.username) = lower(:username)', { username });
    else if (search !== undefined && search !== '') {
      const like = `%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.where(`(lower(u.username) LIKE :like OR lower(u.name) LIKE :like OR lower(u.email) = lower(:search))`, { like, search });
    }
    qb.orderBy('u.id', 'DESC').skip(page.offset).take(page.perPage);
    const [users, total] = await qb.getManyAndCount();
    return new Paginated(await this.presenter.users(users), page, total);
  }

  async update(id: string, input: UpdateUserBody): Promise<UserEntity> {
    const { email, name, username } = input;
    const a = { provider: input.provider, externUid: input.extern_uid, enterpriseGroupId: input.enterprise_group_id };
    checkUserAttributes(input);
    const encryptedPassword = input.password !== undefined ? await hashPassword(input.password) : undefined;
    try {
      return await this.dataSource.transaction(async (m) => {
        const user = await this.lookup.user(id, m, true);
        await this.checkEnterpriseGroup(m, a.enterpriseGroupId);
        const users = m.getRepository(User);
        if (email !== undefined && email.toLowerCase() !== user.email.toLowerCase()) {
          if (await users.createQueryBuilder('u').where('lower(u.email) = lower(:e) AND u.id <> :id', { e: email, id: user.id }).getExists())
            throw conflict('Email has already been taken');
        }
        const namespace = await this.users.personalNamespace(user.id, m);
        if (username !== undefined && username !== user.username) {
          if (await users.createQueryBuilder('u').where('lower(u.username) = lower(:n) AND u.id <> :id', { n: username, id: user.id }).getExists())
            throw conflict('Username has already been taken');
          if (namespace) {
            if (await this.redirects.taken(m, username, { type: 'Namespace', id: namespace.id })) throw conflict('Username has already been taken');
            await this.redirects.renameNamespace(m, namespace, username, 'username');
          }
        }
        const changes = userChanges(input, encryptedPassword);
        if (Object.keys(changes).length) await users.update(user.id, changes);
        if (name !== undefined && namespace) await m.getRepository(Namespace).update(namespace.id, { name });
        if (a.provider !== undefined) {
          const identities = m.getRepository(Identity);
          const taken = await identities.findOne({ where: { provider: a.provider, extern_uid: a.externUid! } });
          if (taken && Number(taken.user_id) !== Number(user.id)) throw modelError({ 'identities.extern_uid': ['has already been taken'] });
          const existing = await identities.findOne({ where: { user_id: user.id, provider: a.provider } });
          if (existing) await identities.update(existing.id, { extern_uid: a.externUid! });
          else await identities.save({ user_id: user.id, provider: a.provider, extern_uid: a.externUid! });
        }
        return this.presenter.user((await users.findOne({ where: { id: user.id } }))!, m);
      });
    } catch (err) {
      const index = uniqueViolation(err);
      if (index === null) throw err;
      if (index.includes('email')) throw conflict('Email has already been taken');
      if (index.includes('identities')) throw modelError({ 'identities.extern_uid': ['has already been taken'] });
      throw conflict('Username has already been taken');
    }
  }

  /**
   * Deletes a user with everything it owns, in one transaction: keys (deploy keys it created stay, with no
   * creator), tokens, identities, memberships, its personal namespace with the projects in it, their
   * memberships and redirect routes. The local repositories of those projects are removed afterwards.
   */
  async remove(id: string): Promise<void> {
    const removed = await this.dataSource.transaction(async (m) => {
      const user = await this.lookup.user(id, m, true);
      const namespace = await this.users.personalNamespace(user.id, m);
      let projects: Project[] = [];
      if (namespace) {
        projects = await m.getRepository(Project).find({ where: { namespace_id: namespace.id } });
        const projectIds = projects.map((p) => Number(p.id));
        if (projectIds.length) {
          await this.memberships.removeAllOf('Project', projectIds, m);
          await this.redirects.forget(m, 'Project', projectIds);
          await this.projects.deleteRows(projectIds, m);
        }
        await this.memberships.removeAllOf('Namespace', [Number(namespace.id)], m);
        await this.redirects.forget(m, 'Namespace', [Number(namespace.id)]);
      }
      await this.users.deleteCredentials(user.id, m);
      await this.memberships.removeAllOfUser(user.id, m);
      if (namespace) await this.groups.deleteRow(Number(namespace.id), m);
      await this.users.deleteRow(user.id, m);
      return projects;
    });
    for (const p of removed) await this.storage.removeRepository(p);
  }

  /** block / unblock / deactivate / activate with GitLab's refusals (`nextState`). */
  async transition(id: string, action: StateAction): Promise<true> {
    await this.dataSource.transaction(async (m) => {
      const user = await this.lookup.user(id, m, true);
      const next = nextState(user.state, action);
      if (next !== user.state) await m.getRepository(User).update(user.id, { state: next });
    });
    return true;
  }
}
