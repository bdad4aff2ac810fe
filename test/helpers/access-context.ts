/**
 * Plain objects for the unit tests of the git access rules (`src/git-access/checks/*.spec.ts`): a project, a user,
 * a key, an actor, the settings and a whole request context, each with overrides.
 */
import { AccessDenied } from '../../src/git-access/checks/access-denied';
import { AccessContext } from '../../src/git-access/checks/request-context';
import { RefAccess } from '../../src/git-access/checks/ref-access';
import { RepoProject, RepoSettings } from '../../src/git-access/repository.service';
import { Actor } from '../../src/identity/actor.service';
import { Key } from '../../src/identity/entities/key.entity';
import { User } from '../../src/identity/entities/user.entity';

export const SHA_A = 'a'.repeat(40);
export const SHA_B = 'b'.repeat(40);
export const BLANK = '0'.repeat(40);

export function aProject(overrides: Partial<RepoProject> = {}): RepoProject {
  return {
    id: 7,
    name: 'proj',
    path: 'proj',
    full_path: 'grp/proj',
    disk_path: '@hashed/ab/cd/abcd',
    namespace_id: 3,
    visibility_level: 0,
    repository_access_level: 20,
    archived: false,
    repository_read_only: false,
    lfs_enabled: true,
    default_branch: 'main',
    repository_storage: 'default',
    printing_merge_request_link_enabled: true,
    creator_id: 1,
    namespace_type: 'Group',
    namespace_full_path: 'grp',
    namespace_owner_id: null,
    root_namespace_id: 3,
    root_namespace_full_path: 'grp',
    root_enabled_git_access_protocol: null,
    ...overrides,
  };
}

export function aUser(overrides: Partial<User> = {}): User {
  return { id: 11, username: 'alice', state: 'active', admin: false, external: false, ...overrides } as User;
}

export function aKey(overrides: Partial<Key> = {}): Key {
  return { id: 21, type: null, expires_at: null, ...overrides } as unknown as Key;
}

/** A user key's actor (`kind: 'key'`), a deploy key's (`deploy_key`), a user's, or nobody. */
export function anActor(kind: Actor['kind'], user: User | null = aUser(), key: Key | null = aKey()): Actor {
  if (kind === 'anonymous') return { kind, key: null, user: null, source: null };
  if (kind === 'user') return { kind, key: null, user, source: 'user_id' };
  return { kind, key, user, source: 'key_id' };
}

export function someSettings(overrides: Partial<RepoSettings> = {}): RepoSettings {
  return { enabled_git_access_protocol: null, receive_max_input_size: null, gitlab_shell_operation_limit: 600, ...overrides };
}

/** A pull by a user key over SSH of `grp/proj`, unless overridden. */
export function aContext(overrides: Partial<AccessContext> = {}): AccessContext {
  const actor = overrides.actor ?? anActor('key');
  const project = overrides.project === undefined ? aProject() : overrides.project;
  const settings = overrides.settings ?? someSettings();
  return {
    params: {},
    audit: false,
    requestId: 'req-1',
    actor,
    user: actor.kind === 'deploy_key' ? null : actor.user,
    key: actor.key,
    deployKey: actor.kind === 'deploy_key' ? actor.key : null,
    repo: { project, redirectedPath: null, requestPath: project?.full_path ?? '', rule: 'path', excluded: false, settings },
    settings,
    project,
    redirectedPath: null,
    cmd: 'git-upload-pack',
    push: false,
    download: true,
    any: true,
    lines: [],
    protocol: 'ssh',
    env: {},
    ...overrides,
  };
}

/** A developer (level 30) pushing with a user key over SSH to `grp/proj`, no protected refs, no local repository. */
export function aRefAccess(overrides: Partial<RefAccess> = {}): RefAccess {
  return {
    project: { default_branch: 'main', full_path: 'grp/proj' },
    protocol: 'ssh',
    deployKeyId: null,
    canPush: true,
    adminTag: true,
    maintainer: false,
    refUserAdmin: false,
    refUserLevel: 30,
    branches: [],
    tags: [],
    history: null,
    env: {},
    externalUrl: 'https://gitlab.example.com',
    ...overrides,
  };
}

/** The denial `work` throws (sync or async): its step code, status and body; null when it passes. */
export async function denialOf(work: () => unknown): Promise<{ reason: string; status: number; body: unknown } | null> {
  try {
    await work();
    return null;
  } catch (err) {
    if (!(err instanceof AccessDenied)) throw err;
    return { reason: err.reason, status: err.status, body: err.body };
  }
}
