import { PAT_SCOPES } from '../identity/personal-access-tokens.service';
import { GroupsService } from '../namespaces/groups.service';
import { ProjectsService } from '../namespaces/projects.service';
import { MembershipRepository } from '../namespaces/membership.repository';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { conflict, forbidden, modelError, notFound, recordNotFound } from '../common/api-error';
import { todayUtc } from '../common/coerce';
import { uniqueViolation } from '../common/db-errors';
import { PageRequest, Paginated } from '../common/pagination';
import { RawParams } from '../common/params.decorator';
import { isValidNamespacePath, NAMESPACE_PATH_ERROR } from '../common/path-format';
import { Identity } from '../identity/entities/identity.entity';
import { Key, KEY_USAGE_TYPES } from '../identity/entities/key.entity';
import { KeysService } from '../identity/keys.service';
import { PersonalAccessToken } from '../identity/entities/personal-access-token.entity';
import { PersonalAccessTokensService } from '../identity/personal-access-tokens.service';
import { User, USER_STATES, UserState } from '../identity/entities/user.entity';
import { UsersService } from '../identity/users.service';
import { Namespace } from '../namespaces/entities/namespace.entity';
import { Project } from '../namespaces/entities/project.entity';
import { ApplicationSettingsService } from '../settings/application-settings.service';
import { AdminLookupService } from './admin-lookup.service';
import { ParamReader } from './admin-params';
import { AdminPresenter } from './admin-presenter.service';
import { PersonalAccessTokenEntity, SshKeyEntity, UserEntity } from './dto/admin-responses.dto';
import { hashPassword } from './password';
import { RedirectRoutesService } from '../namespaces/redirect-routes.service';
import { RepositoryStorageService } from './repository-storage.service';

/** Scopes an admin may give a token: the list plus `sudo` and `admin_mode`. */
export const ADMIN_PAT_SCOPES = [...PAT_SCOPES, 'sudo', 'admin_mode'];

const EMAIL_FORMAT = /^[^\s@]+@[^\s@]+$/;

/** Users, their SSH keys and personal access tokens. */
@Injectable()
export class AdminUsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly keys: KeysService,
    private readonly pats: PersonalAccessTokensService,
    private readonly settings: ApplicationSettingsService,
    private readonly lookup: AdminLookupService,
    private readonly presenter: AdminPresenter,
    private readonly redirects: RedirectRoutesService,
    private readonly storage: RepositoryStorageService,
    private readonly memberships: MembershipRepository,
    private readonly groups: GroupsService,
    private readonly projects: ProjectsService,
  ) {}

  /** The optional attributes shared by create and update, validated Grape-style (ext included). */
  private readAttributes(r: ParamReader) {
    const password = r.string('password');
    const admin = r.bool('admin');
    const external = r.bool('external');
    const provider = r.string('provider');
    const externUid = r.string('extern_uid');
    if (r.has('provider') !== r.has('extern_uid')) r.error('extern_uid, provider provide all or none of parameters');
    const state = r.oneOf<UserState>('state', USER_STATES);
    const enterpriseGroupId = r.id('enterprise_group_id');
    const notificationEmail = r.string('notification_email');
    return { password, admin, external, provider, externUid, state, enterpriseGroupId, notificationEmail };
  }

  private validateModel(attrs: { username?: string; name?: string; email?: string; password?: string; notificationEmail?: string; provider?: string; externUid?: string }): void {
    const errors: Record<string, string[]> = {};
    if (attrs.email !== undefined && !EMAIL_FORMAT.test(attrs.email)) errors.email = ['is invalid'];
    if (attrs.name !== undefined && !attrs.name.trim()) errors.name = ["can't be blank"];
    else if (attrs.name !== undefined && attrs.name.length > 255) errors.name = ['is too long (maximum is 255 characters)'];
    if (attrs.username !== undefined && !isValidNamespacePath(attrs.username)) errors.username = [NAMESPACE_PATH_ERROR];
    if (attrs.password !== undefined && attrs.password.length < 8) errors.password = ['is too short (minimum is 8 characters)'];
    if (attrs.notificationEmail !== undefined && attrs.notificationEmail !== '' && !EMAIL_FORMAT.test(attrs.notificationEmail))
      errors.notification_email = ['is invalid'];
    Object.assign(errors, ParamReader.tooLong({ email: attrs.email, notification_email: attrs.notificationEmail, provider: attrs.provider, extern_uid: attrs.externUid }));
    if (Object.keys(errors).length) throw modelError(errors);
  }

  private async checkEnterpriseGroup(m: EntityManager, id: number | undefined | null): Promise<void> {
    if (id === undefined || id === null) return;
    if (!(await m.getRepository(Namespace).exists({ where: { id, type: 'Group' } }))) throw notFound('Group');
  }

  async create(params: RawParams): Promise<UserEntity> {
    const r = new ParamReader(params).requireAll('email', 'name', 'username');
    const email = r.string('email');
    const name = r.string('name');
    const username = r.string('username');
    const a = this.readAttributes(r);
    r.check();
    this.validateModel({ username, name, email, password: a.password, notificationEmail: a.notificationEmail, provider: a.provider, externUid: a.externUid });
    const encryptedPassword = a.password !== undefined ? await hashPassword(a.password) : null;
    return this.dataSource.transaction(async (m) => {
      await this.checkEnterpriseGroup(m, a.enterpriseGroupId);
      // the username is checked before the email
      if (
        (await m.getRepository(User).createQueryBuilder('u').where('lower(u.username) = lower(:n)', { n: username }).getExists()) ||
        (await this.redirects.taken(m, username!, { type: 'Namespace', id: 0 }))
      )
        throw conflict('Username has already been taken');
      if (a.provider !== undefined && (await m.getRepository(Identity).exists({ where: { provider: a.provider, extern_uid: a.externUid! } })))
        throw modelError({ 'identities.extern_uid': ['has already been taken'] });
      const user = await this.users.create(
        {
          username: username!,
          name: name!,
          email: email!,
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
      await this.redirects.release(m, username!);
      return this.presenter.user(user, m);
    });
  }

  async get(id: string): Promise<UserEntity> {
    return this.presenter.user(await this.lookup.user(id));
  }

  async list(params: RawParams, page: PageRequest): Promise<Paginated<UserEntity>> {
    const r = new ParamReader(params);
    const username = r.string('username');
    const search = r.string('search');
    r.check();
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

  async update(id: string, params: RawParams): Promise<UserEntity> {
    const r = new ParamReader(params);
    const email = r.string('email');
    const name = r.string('name');
    const username = r.string('username');
    const a = this.readAttributes(r);
    r.check();
    this.validateModel({ username, name, email, password: a.password, notificationEmail: a.notificationEmail, provider: a.provider, externUid: a.externUid });
    const encryptedPassword = a.password !== undefined ? await hashPassword(a.password) : undefined;
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
        const changes: Partial<
          Pick<User, 'email' | 'name' | 'username' | 'encrypted_password' | 'admin' | 'external' | 'state' | 'enterprise_group_id' | 'notification_email'>
        > = {};
        if (email !== undefined) changes.email = email;
        if (name !== undefined) changes.name = name;
        if (username !== undefined) changes.username = username;
        if (encryptedPassword !== undefined) changes.encrypted_password = encryptedPassword;
        if (a.admin !== undefined) changes.admin = a.admin;
        if (a.external !== undefined) changes.external = a.external;
        if (a.state !== undefined) changes.state = a.state;
        if (a.enterpriseGroupId !== undefined) changes.enterprise_group_id = a.enterpriseGroupId;
        if (a.notificationEmail !== undefined) changes.notification_email = a.notificationEmail || null;
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

  /** block / unblock / deactivate / activate with GitLab's refusals. */
  async transition(id: string, action: 'block' | 'unblock' | 'deactivate' | 'activate'): Promise<true> {
    await this.dataSource.transaction(async (m) => {
      const user = await this.lookup.user(id, m, true);
      const s = user.state;
      const blocked = s === 'blocked' || s === 'ldap_blocked' || s === 'blocked_pending_approval';
      let next: UserState;
      switch (action) {
        case 'block':
          if (s === 'ldap_blocked') throw forbidden('LDAP blocked users cannot be modified by the API');
          next = 'blocked';
          break;
        case 'unblock':
          if (s === 'ldap_blocked') throw forbidden('LDAP blocked users cannot be unblocked by the API');
          if (s === 'deactivated') throw forbidden('Deactivated users cannot be unblocked by the API');
          next = 'active';
          break;
        case 'deactivate':
          if (blocked) throw forbidden('A blocked user cannot be deactivated by the API');
          next = 'deactivated';
          break;
        case 'activate':
          if (blocked) throw forbidden('A blocked user must be unblocked to be activated');
          next = 'active';
          break;
      }
      if (next !== s) await m.getRepository(User).update(user.id, { state: next });
    });
    return true;
  }

  // --- SSH keys ---

  async addKey(id: string, params: RawParams): Promise<SshKeyEntity> {
    const r = new ParamReader(params).requireAll('title', 'key');
    const title = r.string('title');
    const key = r.string('key');
    const expiresAt = r.timestamp('expires_at');
    const usageType = r.oneOf('usage_type', KEY_USAGE_TYPES);
    r.check();
    if (!title!.trim()) throw modelError({ title: ["can't be blank"] });
    if (title!.length > 255) throw modelError({ title: ['is too long (maximum is 255 characters)'] });
    return this.dataSource.transaction(async (m) => {
      const user = await this.lookup.user(id, m);
      const created = await this.keys.add({ type: 'Key', userId: user.id, title: title!, key: key!, expiresAt: expiresAt ?? null, usageType }, m);
      return this.presenter.key(created, user);
    });
  }

  async listKeys(id: string, page: PageRequest): Promise<Paginated<SshKeyEntity>> {
    const user = await this.lookup.user(id);
    const [keys, total] = await this.dataSource
      .getRepository(Key)
      .findAndCount({ where: { user_id: user.id, type: 'Key' }, order: { id: 'ASC' }, skip: page.offset, take: page.perPage });
    return new Paginated(
      keys.map((k) => this.presenter.key(k, user)),
      page,
      total,
    );
  }

  async removeKey(id: string, keyId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const user = await this.lookup.user(id, m);
      const kid = /^\d+$/.test(keyId) && Number.isSafeInteger(Number(keyId)) ? Number(keyId) : null;
      const key = kid === null ? null : await m.getRepository(Key).findOne({ where: { id: kid, user_id: user.id, type: 'Key' } });
      if (!key) throw notFound('Key');
      await m.getRepository(Key).delete(key.id);
    });
  }

  // --- Personal access tokens ---

  async createPat(userId: string, params: RawParams): Promise<PersonalAccessTokenEntity> {
    const r = new ParamReader(params).requireAll('name', 'scopes');
    const name = r.string('name');
    const raw = params.scopes;
    let scopes: string[] | undefined;
    if (raw !== undefined && raw !== null) {
      const list = Array.isArray(raw) ? raw : [raw];
      if (list.some((s) => typeof s !== 'string' || !ADMIN_PAT_SCOPES.includes(s))) r.error('scopes does not have a valid value');
      else scopes = list as string[];
    }
    const expiresParam = r.date('expires_at');
    r.check();
    const errors: Record<string, string[]> = {};
    if (!name!.trim()) errors.name = ["can't be blank"];
    else if (name!.length > 255) errors.name = ['is too long (maximum is 255 characters)'];
    if (!scopes!.length) errors.scopes = ["can't be blank"];
    return this.dataSource.transaction(async (m) => {
      const user = await this.lookup.user(userId, m);
      const settings = await this.settings.current(m);
      const max = todayUtc(new Date(Date.now() + 365 * 86_400_000));
      let expiresAt: string | null = expiresParam ?? null;
      if (expiresAt === null && settings.require_personal_access_token_expiry) expiresAt = max;
      if (expiresAt !== null && settings.require_personal_access_token_expiry && expiresAt > max) errors.expires_at = [`must be before ${max}`];
      if (Object.keys(errors).length) throw modelError(errors);
      const { token, pat } = await this.pats.create({ userId: user.id, name: name!, scopes: scopes!, expiresAt }, m);
      const saved = (await m.getRepository(PersonalAccessToken).findOne({ where: { id: pat.id } }))!;
      return this.presenter.pat(saved, token);
    });
  }

  async revokePat(id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const pid = /^\d+$/.test(id) && Number.isSafeInteger(Number(id)) ? Number(id) : null;
      const pat = pid === null ? null : await m.getRepository(PersonalAccessToken).findOne({ where: { id: pid } });
      if (!pat) throw recordNotFound();
      if (!pat.revoked) await m.getRepository(PersonalAccessToken).update(pat.id, { revoked: true });
    });
  }
}
