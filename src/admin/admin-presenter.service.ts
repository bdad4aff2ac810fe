import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { isoTimestamp, todayUtc } from '../common/coerce';
import { APP_CONFIG, AppConfig } from '../config/config';
import { TwoFactorService } from '../keys/two-factor.service';
import { Identity } from '../identity/entities/identity.entity';
import { Key } from '../identity/entities/key.entity';
import { PersonalAccessToken } from '../identity/entities/personal-access-token.entity';
import { User } from '../identity/entities/user.entity';
import { Member, MEMBER_STATE } from '../namespaces/entities/member.entity';
import { Namespace } from '../namespaces/entities/namespace.entity';
import { Project, REPOSITORY_ACCESS } from '../namespaces/entities/project.entity';
import { GroupEntity, MemberEntity, PersonalAccessTokenEntity, ProjectEntity, SshKeyEntity, UserEntity } from './dto/admin-responses.dto';

const VISIBILITY_NAMES: Record<number, string> = { 0: 'private', 10: 'internal', 20: 'public' };
const REPOSITORY_ACCESS_NAMES: Record<number, string> = Object.fromEntries(Object.entries(REPOSITORY_ACCESS).map(([k, v]) => [v, k]));

export const visibilityName = (level: number): string => VISIBILITY_NAMES[level] ?? 'private';

/** Renders the admin entities with GitLab's key order. */
@Injectable()
export class AdminPresenter {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly twoFactor: TwoFactorService,
  ) {}

  private get host(): string {
    return new URL(this.config.externalUrl).hostname;
  }

  webUrl(path: string): string {
    return `${this.config.externalUrl}/${path}`;
  }

  httpUrlToRepo(path: string): string {
    return `${this.config.externalUrl}/${path}.git`;
  }

  sshUrlToRepo(path: string): string {
    const { sshUser, sshHost, sshPort } = this.config;
    return sshPort === 22 ? `${sshUser}@${sshHost}:${path}.git` : `ssh://${sshUser}@${sshHost}:${sshPort}/${path}.git`;
  }

  async users(users: User[], manager: EntityManager = this.dataSource.manager): Promise<UserEntity[]> {
    if (!users.length) return [];
    const ids = users.map((u) => u.id);
    const identities = await manager
      .getRepository(Identity)
      .createQueryBuilder('i')
      .where('i.user_id IN (:...ids)', { ids })
      .orderBy('i.id', 'ASC')
      .getMany();
    const twoFactor = await this.twoFactor.enabledUserIds(ids, manager);
    return users.map((u) => ({
      id: Number(u.id),
      username: u.username,
      name: u.name,
      state: u.state,
      email: u.email,
      is_admin: u.admin,
      external: u.external,
      enterprise_group_id: u.enterprise_group_id === null ? null : Number(u.enterprise_group_id),
      two_factor_enabled: twoFactor.has(Number(u.id)),
      identities: identities.filter((i) => Number(i.user_id) === Number(u.id)).map((i) => ({ provider: i.provider, extern_uid: i.extern_uid })),
      created_at: isoTimestamp(u.created_at)!,
    }));
  }

  async user(user: User, manager: EntityManager = this.dataSource.manager): Promise<UserEntity> {
    return (await this.users([user], manager))[0];
  }

  /** `<type> <blob> <owner name> (<host>)`, as GitLab's `publishable_key`. */
  key(key: Key, owner: User | null): SshKeyEntity {
    const [type, blob] = key.key.split(/\s+/);
    const comment = owner ? `${owner.name} (${this.host})` : `(${this.host})`;
    return {
      id: Number(key.id),
      title: key.title,
      created_at: isoTimestamp(key.created_at)!,
      expires_at: isoTimestamp(key.expires_at),
      key: `${type} ${blob} ${comment}`,
      usage_type: key.usage_type,
    };
  }

  pat(pat: PersonalAccessToken, token?: string): PersonalAccessTokenEntity {
    const active = !pat.revoked && (pat.expires_at === null || pat.expires_at >= todayUtc());
    const out: PersonalAccessTokenEntity = {
      id: Number(pat.id),
      name: pat.name,
      revoked: pat.revoked,
      created_at: isoTimestamp(pat.created_at)!,
      scopes: pat.scopes,
      user_id: Number(pat.user_id),
      last_used_at: isoTimestamp(pat.last_used_at),
      active,
      expires_at: pat.expires_at,
    } as PersonalAccessTokenEntity;
    if (token !== undefined) out.token = token;
    return out;
  }

  group(group: Namespace): GroupEntity {
    return {
      id: Number(group.id),
      name: group.name,
      path: group.path,
      full_path: group.full_path,
      parent_id: group.parent_id === null ? null : Number(group.parent_id),
      visibility: visibilityName(group.visibility_level),
      enabled_git_access_protocol: group.enabled_git_access_protocol,
      web_url: `${this.config.externalUrl}/groups/${group.full_path}`,
    };
  }

  project(project: Project, namespace: Namespace): ProjectEntity {
    return {
      id: Number(project.id),
      name: project.name,
      path: project.path,
      path_with_namespace: project.full_path,
      namespace: {
        id: Number(namespace.id),
        name: namespace.name,
        path: namespace.path,
        kind: namespace.type === 'User' ? 'user' : 'group',
        full_path: namespace.full_path,
      },
      visibility: visibilityName(project.visibility_level),
      archived: project.archived,
      default_branch: project.default_branch,
      repository_access_level: REPOSITORY_ACCESS_NAMES[project.repository_access_level] ?? 'enabled',
      lfs_enabled: project.lfs_enabled,
      printing_merge_request_link_enabled: project.printing_merge_request_link_enabled,
      repository_storage: project.repository_storage,
      repository_read_only: project.repository_read_only,
      web_url: this.webUrl(project.full_path),
      ssh_url_to_repo: this.sshUrlToRepo(project.full_path),
      http_url_to_repo: this.httpUrlToRepo(project.full_path),
      created_at: isoTimestamp(project.created_at)!,
    };
  }

  member(member: Member, user: User): MemberEntity {
    return {
      id: Number(user.id),
      username: user.username,
      name: user.name,
      state: user.state,
      access_level: member.access_level,
      expires_at: member.expires_at,
      membership_state: member.state === MEMBER_STATE.awaiting ? 'awaiting' : 'active',
    };
  }
}
