/**
 * The acceptance fixture set, built once per test file through the services (never through
 * another module's admin routes), plus the request shorthands PULL / PUSH / HOOK.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeployKeysService } from '../../../src/git-access/admin/deploy-keys.service';
import { ProtectedRefsService } from '../../../src/git-access/admin/protected-refs.service';
import { Key } from '../../../src/identity/entities/key.entity';
import { User } from '../../../src/identity/entities/user.entity';
import { Namespace } from '../../../src/namespaces/entities/namespace.entity';
import { Project } from '../../../src/namespaces/entities/project.entity';
import { ProjectsService } from '../../../src/namespaces/projects.service';
import { UsersService } from '../../../src/identity/users.service';
import { addMember, addUserKey, createAdmin, createGroup, createProject, createUser, newSshPublicKey } from '../../helpers/factories';
import { shellJwt } from '../../helpers/jwt';
import { createTestApp, TestApp } from '../../helpers/test-app';

export const Z = '0'.repeat(40);
export const A = 'a'.repeat(40);
export const B = 'b'.repeat(40);
export const NF = "The project you were looking for could not be found or you don't have permission to view it.";

export type UserName = 'alice' | 'bob' | 'rita' | 'mia' | 'eve' | 'xena' | 'root' | 'pat' | 'mina';

export interface Fixtures {
  t: TestApp;
  /** the directory of the `local` storage (LOCAL fixtures) */
  localPath: string;
  users: Record<UserName, User>;
  keys: Record<UserName, Key>;
  grp: Namespace;
  sub: Namespace;
  priv: Project;
  pub: Project;
  int: Project;
  arch: Project;
  apriv: Project;
  dk: { ro: Key; rw: Key; none: Key };
  admin: { token: string; headers: Record<string, string> };
  close: () => Promise<void>;
}

/**
 * Starts an app whose storages are `default` (the Gitaly, no local path) and `local` (a temp directory: the
 * LOCAL variant), then creates the users, groups, projects, protected refs and deploy keys.
 */
export async function buildFixtures(env: Record<string, string> = {}, options: Parameters<typeof createTestApp>[1] = {}): Promise<Fixtures> {
  const localPath = mkdtempSync(join(tmpdir(), 'gia-storage-'));
  const t = await createTestApp({
    GITALY_STORAGES: JSON.stringify({
      default: { address: 'tcp://gitaly.test:8075', token: 'gt' },
      local: { address: 'tcp://gitaly-local.test:8075', token: 'lt', path: localPath },
    }),
    ...env,
  }, options);
  const admin = await createAdmin(t, 'root');
  const users = { root: admin.user } as Record<UserName, User>;
  for (const name of ['alice', 'bob', 'rita', 'mia', 'eve', 'xena', 'pat', 'mina'] as const) {
    users[name] = await createUser(t, name, { external: name === 'xena' });
  }
  const keys = {} as Record<UserName, Key>;
  for (const name of Object.keys(users) as UserName[]) keys[name] = await addUserKey(t, users[name], { title: `K${name}` });

  const grp = await createGroup(t, 'grp', { visibility: 20 });
  const sub = await createGroup(t, 'sub', { parent: grp, visibility: 20 });
  const priv = await createProject(t, grp, 'priv', { visibility: 0 });
  const pub = await createProject(t, grp, 'pub', { visibility: 20 });
  const int = await createProject(t, grp, 'int', { visibility: 10 });
  const arch = await createProject(t, grp, 'arch', { visibility: 0, archived: true });
  const alicePersonal = (await t.get<UsersService>(UsersService).personalNamespace(users.alice.id))!;
  const apriv = await createProject(t, alicePersonal, 'apriv', { visibility: 0 });

  await addMember(t, grp, users.alice, 30);
  await addMember(t, priv, users.bob, 10);
  await addMember(t, priv, users.rita, 20);
  await addMember(t, grp, users.mia, 40);
  await addMember(t, priv, users.pat, 30, { state: 1 });
  await addMember(t, grp, users.mina, 5);

  const refs = t.get<ProtectedRefsService>(ProtectedRefsService);
  await refs.createBranch(priv.id, { name: 'main', push: [{ access_level: 40 }], merge: [{ access_level: 40 }], allowForcePush: false });
  await refs.createTag(priv.id, { name: 'v*', create: [{ access_level: 40 }] });

  const deployKeys = t.get<DeployKeysService>(DeployKeysService);
  const ro = await deployKeys.createForProject(priv.id, { title: 'DKro', key: newSshPublicKey('dkro'), userId: users.mia.id, canPush: false });
  const rw = await deployKeys.createForProject(priv.id, { title: 'DKrw', key: newSshPublicKey('dkrw'), userId: users.mia.id, canPush: true });
  const none = await deployKeys.create({ title: 'DKnone', key: newSshPublicKey('dknone'), userId: null });
  const keyRepo = t.dataSource.getRepository(Key);
  const dk = {
    ro: await keyRepo.findOneByOrFail({ id: ro.id }),
    rw: await keyRepo.findOneByOrFail({ id: rw.id }),
    none,
  };

  return {
    t,
    localPath,
    users,
    keys,
    grp,
    sub,
    priv,
    pub,
    int,
    arch,
    apriv,
    dk,
    admin: { token: admin.token, headers: admin.headers },
    close: async () => {
      await t.close();
      rmSync(localPath, { recursive: true, force: true });
    },
  };
}

/** A project on the `local` storage with a bare repository initialised (LOCAL fixtures). */
export async function createLocalProject(f: Fixtures, namespace: Namespace, path: string, opts: { visibility?: number; defaultBranch?: string | null } = {}) {
  const project = await f.t.get<ProjectsService>(ProjectsService).create({
    namespace,
    name: path,
    path,
    visibilityLevel: opts.visibility ?? 0,
    defaultBranch: opts.defaultBranch === undefined ? 'main' : opts.defaultBranch,
    repositoryStorage: 'local',
  });
  const dir = join(f.localPath, `${project.disk_path}.git`);
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '--bare', '--quiet']);
  return { project, dir };
}

const GIT_ENV = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: tmpdir(),
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};

export function git(dir: string, args: string[], input?: string): string {
  return execFileSync('git', [`--git-dir=${dir}`, ...args], { env: GIT_ENV, input, encoding: 'utf8' }).trim();
}

/** A root commit (no parent) with the given message; returns its id. */
export function commit(dir: string, message: string, parent?: string): string {
  const tree = git(dir, ['mktree'], '');
  return git(dir, ['commit-tree', tree, '-m', message, ...(parent ? ['-p', parent] : [])]);
}

export const relativePath = (p: Project) => `${p.disk_path}.git`;

/** PULL(p,k) / PUSH(p,k) bodies */
export const pullBody = (p: { full_path: string }, key?: Key | string, action = 'git-upload-pack') => ({
  action,
  project: `${p.full_path}.git`,
  changes: '_any',
  protocol: 'ssh',
  ...(key !== undefined ? { key_id: typeof key === 'string' ? key : String(key.id) } : {}),
});
export const pushBody = (p: { full_path: string }, key?: Key | string) => pullBody(p, key, 'git-receive-pack');

/** HOOK(p, user | key:k, changes, proto) body */
export function hookBody(p: Project, actor: User | { key: Key }, changes: string, protocol = 'ssh', extra: Record<string, unknown> = {}) {
  return {
    action: 'git-receive-pack',
    gl_repository: `project-${p.id}`,
    project: `/var/opt/gitlab/git-data/repositories/${relativePath(p)}`,
    changes,
    protocol,
    relative_path: relativePath(p),
    env: JSON.stringify({ GIT_ALTERNATE_OBJECT_DIRECTORIES_RELATIVE: ['objects'], GIT_OBJECT_DIRECTORY_RELATIVE: 'objects/incoming-x' }),
    ...('key' in actor ? { key_id: String(actor.key.id) } : { user_id: String(actor.id) }),
    ...extra,
  };
}

export const J = () => ({ 'Gitlab-Shell-Api-Request': shellJwt() });

export function post(t: TestApp, path: string, body: object) {
  return t.http().post(`/api/v4/internal${path}`).set(J()).set('Content-Type', 'application/json').send(body);
}

/** D(status, text): status with body exactly `{"status":false,"message":text}`. */
export function expectDenied(res: { status: number; body: unknown }, status: number, message: string): void {
  expect({ status: res.status, body: res.body }).toEqual({ status, body: { status: false, message } });
}

/** Every text expected by a test of these files, for the catalogue check. */
export const SEEN_MESSAGES = new Set<string>();
