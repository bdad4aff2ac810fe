import { generateKeyPairSync } from 'node:crypto';
import sshpk from 'sshpk';
import { Key, KeyUsageType } from '../../src/identity/entities/key.entity';
import { KeysService } from '../../src/identity/keys.service';
import { PersonalAccessTokensService } from '../../src/identity/personal-access-tokens.service';
import { User, UserState } from '../../src/identity/entities/user.entity';
import { UsersService } from '../../src/identity/users.service';
import { MembersService } from '../../src/namespaces/members.service';
import { GroupsService } from '../../src/namespaces/groups.service';
import { Namespace } from '../../src/namespaces/entities/namespace.entity';
import { Project } from '../../src/namespaces/entities/project.entity';
import { ProjectsService } from '../../src/namespaces/projects.service';
import { TestApp } from './test-app';

/** A fresh OpenSSH public key line (ed25519 unless asked otherwise). */
export function newSshPublicKey(comment = 'test@host', type: 'ed25519' | 'rsa' = 'ed25519'): string {
  const { publicKey } =
    type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ed25519');
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return `${sshpk.parseKey(pem, 'pem').toString('ssh')} ${comment}`;
}

export async function createUser(
  t: TestApp,
  username: string,
  opts: { admin?: boolean; external?: boolean; state?: UserState; name?: string; email?: string; enterpriseGroupId?: number } = {},
): Promise<User> {
  return t.get<UsersService>(UsersService).create({
    username,
    name: opts.name ?? `${username[0].toUpperCase()}${username.slice(1)} Example`,
    email: opts.email ?? `${username}@example.com`,
    admin: opts.admin,
    external: opts.external,
    state: opts.state,
    enterpriseGroupId: opts.enterpriseGroupId,
  });
}

/** A personal access token (default scope `api`); returns the clear token. */
export async function createPat(t: TestApp, user: User, scopes: string[] = ['api'], expiresAt: string | null = null): Promise<string> {
  const { token } = await t.get<PersonalAccessTokensService>(PersonalAccessTokensService).create({ userId: user.id, name: 'test', scopes, expiresAt });
  return token;
}

/** An admin user with an `api` token: `{ user, token, headers }` for the admin routes. */
export async function createAdmin(t: TestApp, username = 'root') {
  const user = await createUser(t, username, { admin: true });
  const token = await createPat(t, user, ['api', 'admin_mode']);
  return { user, token, headers: { 'PRIVATE-TOKEN': token } };
}

export async function createGroup(t: TestApp, path: string, opts: { parent?: Namespace; visibility?: number; name?: string } = {}): Promise<Namespace> {
  return t.get<GroupsService>(GroupsService).create({ name: opts.name ?? path, path, parentId: opts.parent?.id ?? null, visibilityLevel: opts.visibility ?? 0 });
}

export async function createProject(
  t: TestApp,
  namespace: Namespace,
  path: string,
  opts: { visibility?: number; defaultBranch?: string | null; archived?: boolean; repositoryAccessLevel?: number; creatorId?: number } = {},
): Promise<Project> {
  return t.get<ProjectsService>(ProjectsService).create({
    namespace,
    name: path,
    path,
    visibilityLevel: opts.visibility ?? 0,
    defaultBranch: opts.defaultBranch === undefined ? 'main' : opts.defaultBranch,
    archived: opts.archived,
    repositoryAccessLevel: opts.repositoryAccessLevel,
    creatorId: opts.creatorId,
  });
}

export async function addMember(
  t: TestApp,
  source: Namespace | Project,
  user: User,
  accessLevel: number,
  opts: { state?: number; expiresAt?: string; requested?: boolean } = {},
) {
  const sourceType = 'full_path' in source && 'disk_path' in source ? 'Project' : 'Namespace';
  return t.get<MembersService>(MembersService).add({
    sourceType,
    sourceId: source.id,
    userId: user.id,
    accessLevel,
    state: opts.state,
    expiresAt: opts.expiresAt,
    requestedAt: opts.requested ? new Date() : null,
  });
}

export async function addUserKey(t: TestApp, user: User, opts: { usageType?: KeyUsageType; key?: string; title?: string; expiresAt?: Date } = {}): Promise<Key> {
  return t.get<KeysService>(KeysService).add({
    type: 'Key',
    userId: user.id,
    title: opts.title ?? `${user.username} key`,
    key: opts.key ?? newSshPublicKey(),
    usageType: opts.usageType,
    expiresAt: opts.expiresAt,
  });
}
