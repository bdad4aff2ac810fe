import { aContext, aKey, anActor, aProject, aUser, denialOf } from '../../../test/helpers/access-context';
import { ApiError, modelError } from '../../common/api-error';
import { User } from '../../identity/entities/user.entity';
import { MESSAGES } from '../messages';
import { AccessContext } from './request-context';
import { autoCreationTarget, canCreateProjectsIn, creationErrorMessages, ProjectAutoCreation } from './project-auto-creation.service';

/** A push of `_any` by a user key to `grp/new`, which designates no project. */
function pushToNewPath(overrides: Partial<AccessContext> = {}): AccessContext {
  const ctx = aContext({ project: null, cmd: 'git-receive-pack', push: true, download: false, ...overrides });
  ctx.repo = { ...ctx.repo, project: null, requestPath: 'grp/new', rule: 'path', excluded: false };
  return ctx;
}

describe('which push creates a project', () => {
  it('a user’s push without real changes to a path naming a namespace and a project', () => {
    expect(autoCreationTarget(pushToNewPath())).toEqual({ namespace: 'grp', project: 'new' });
  });

  it('never a pull, a deploy key, the audit event, a push with changes, an existing project or a non-path designation', () => {
    expect(autoCreationTarget(pushToNewPath({ push: false }))).toBeNull();
    expect(autoCreationTarget(pushToNewPath({ actor: anActor('deploy_key'), user: null, deployKey: aKey() }))).toBeNull();
    expect(autoCreationTarget(pushToNewPath({ actor: anActor('anonymous'), user: null, key: null }))).toBeNull();
    expect(autoCreationTarget(pushToNewPath({ audit: true }))).toBeNull();
    expect(autoCreationTarget(pushToNewPath({ any: false }))).toBeNull();
    expect(autoCreationTarget(pushToNewPath({ project: aProject() }))).toBeNull();
    const byId = pushToNewPath();
    byId.repo = { ...byId.repo, rule: 'gl_repository' };
    expect(autoCreationTarget(byId)).toBeNull();
    const wiki = pushToNewPath();
    wiki.repo = { ...wiki.repo, excluded: true };
    expect(autoCreationTarget(wiki)).toBeNull();
  });
});

describe('create_projects', () => {
  const never = async () => {
    throw new Error('group level asked');
  };

  it('an admin anywhere, a user in their own namespace, without asking for a group level', async () => {
    expect(await canCreateProjectsIn(aUser({ admin: true }), { type: 'Group', owner_id: null }, never)).toBe(true);
    expect(await canCreateProjectsIn(aUser({ id: 4 }), { type: 'User', owner_id: 4 }, never)).toBe(true);
    expect(await canCreateProjectsIn(aUser({ id: 4 }), { type: 'User', owner_id: 5 }, never)).toBe(false);
  });

  it('in a group: Developer or more', async () => {
    expect(await canCreateProjectsIn(aUser(), { type: 'Group', owner_id: null }, async () => 30)).toBe(true);
    expect(await canCreateProjectsIn(aUser(), { type: 'Group', owner_id: null }, async () => 20)).toBe(false);
  });
});

describe('creation failures', () => {
  it('attribute errors read as sentences; a plain message stays as it is', () => {
    expect(creationErrorMessages(modelError({ path: ['has already been taken'], project_name: ['is bad', 'is long'] }))).toEqual([
      'Path has already been taken',
      'Project name is bad',
      'Project name is long',
    ]);
    expect(creationErrorMessages(new ApiError(400, { message: 'Namespace is full' }))).toEqual(['Namespace is full']);
  });
});

describe('auto-creation', () => {
  const namespace = { id: 3, type: 'Group' as const, full_path: 'grp', owner_id: null, root_full_path: 'grp' };
  const created = aProject({ id: 40, full_path: 'grp/new' });

  function setup(options: { create?: () => Promise<{ id: number }>; level?: number; winner?: ReturnType<typeof aProject> | null; pendingDelete?: boolean } = {}) {
    const calls: string[] = [];
    const manager = { tx: true };
    const deps = {
      dataSource: { transaction: async (work: (m: unknown) => Promise<unknown>) => work(manager) },
      projects: {
        create: jest.fn(options.create ?? (async () => ({ id: 40 }))),
        pendingDeletionHolds: jest.fn(async () => options.pendingDelete ?? false),
      },
      access: { projectAccessLevel: jest.fn(async () => options.level ?? 0) },
      members: { add: jest.fn(async () => calls.push('member')) },
      repositories: {
        resolve: jest.fn(async () => ({ project: options.winner ?? null })),
        projectById: jest.fn(async () => created),
        localRepository: jest.fn(() => '/repos/new.git'),
      },
      git: { initBare: jest.fn(async (dir: string) => calls.push(`init ${dir}`)) },
      messages: { projectCreated: jest.fn(async (userId: number, p: { id: number }, protocol: string) => calls.push(`notice ${userId} ${p.id} ${protocol}`)) },
    };
    const lookups = {
      namespaceByPath: jest.fn(async () => namespace),
      groupLevel: jest.fn(async () => 30),
      usePrimary: jest.fn(() => calls.push('primary')),
    };
    const creation = new ProjectAutoCreation(
      deps.dataSource as never,
      deps.projects as never,
      deps.access as never,
      deps.members as never,
      deps.repositories as never,
      deps.git as never,
      deps.messages as never,
    );
    return { deps, lookups, creation, calls, manager };
  }

  it('creates a private project, makes the user a Maintainer of a group project, inits its repository and leaves a notice', async () => {
    const { deps, lookups, creation, calls, manager } = setup();
    const ctx = pushToNewPath();
    await creation.run(ctx, lookups);
    expect(ctx.project).toBe(created);
    expect(lookups.namespaceByPath).toHaveBeenCalledWith('grp');
    expect(deps.projects.create).toHaveBeenCalledWith(
      { namespace: { id: 3, full_path: 'grp' }, name: 'new', path: 'new', visibilityLevel: 0, creatorId: 11, defaultBranch: null },
      manager,
    );
    expect(deps.members.add).toHaveBeenCalledWith({ sourceType: 'Project', sourceId: 40, userId: 11, accessLevel: 40 }, manager);
    expect(calls).toEqual(['member', 'primary', 'init /repos/new.git', 'notice 11 40 ssh']);
  });

  it('adds no membership when the user already has Maintainer access through the group', async () => {
    const { deps, lookups, creation } = setup({ level: 40 });
    await creation.run(pushToNewPath(), lookups);
    expect(deps.members.add).not.toHaveBeenCalled();
  });

  it('does nothing without a namespace or without create_projects (the later steps answer)', async () => {
    const { deps, lookups, creation } = setup();
    lookups.namespaceByPath.mockResolvedValueOnce(null as never);
    const ctx = pushToNewPath();
    await creation.run(ctx, lookups);
    lookups.groupLevel.mockResolvedValueOnce(20);
    await creation.run(ctx, lookups);
    expect(deps.projects.create).not.toHaveBeenCalled();
    expect(ctx.project).toBeNull();
  });

  it('a concurrent push that created the project first wins: its project is used', async () => {
    const winner = aProject({ id: 41 });
    const { lookups, creation, deps } = setup({ create: async () => Promise.reject(modelError({ path: ['has already been taken'] })), winner });
    const ctx = pushToNewPath();
    await creation.run(ctx, lookups);
    expect(ctx.project).toBe(winner);
    expect(lookups.usePrimary).toHaveBeenCalled();
    expect(deps.git.initBare).not.toHaveBeenCalled();
  });

  it('a project pending deletion holding the path leaves no project (the existence step answers)', async () => {
    const { lookups, creation, deps } = setup({ create: async () => Promise.reject(modelError({ path: ['has already been taken'] })), pendingDelete: true });
    const ctx = pushToNewPath();
    await creation.run(ctx, lookups);
    expect(ctx.project).toBeNull();
    expect(deps.projects.pendingDeletionHolds).toHaveBeenCalledWith('grp/new');
  });

  it('any other validation failure answers 422 with its first message', async () => {
    const { lookups, creation } = setup({ create: async () => Promise.reject(modelError({ path: ['must not end in .git', 'is reserved'] })) });
    expect(await denialOf(() => creation.run(pushToNewPath(), lookups))).toEqual({
      reason: 'G7',
      status: 422,
      body: { status: false, message: MESSAGES.couldNotCreateProject('Path must not end in .git') },
    });
  });

  it('an unexpected failure is not turned into a denial', async () => {
    const boom = new Error('connection lost');
    const { lookups, creation } = setup({ create: async () => Promise.reject(boom) });
    await expect(creation.run(pushToNewPath(), lookups)).rejects.toBe(boom);
  });

  it('works for a user whose own namespace it is', async () => {
    const { lookups, creation, deps } = setup();
    lookups.namespaceByPath.mockResolvedValueOnce({ ...namespace, type: 'User' as never, owner_id: 11 as never });
    const ctx = pushToNewPath({ actor: anActor('key', aUser({ id: 11 }) as User) });
    await creation.run(ctx, lookups);
    expect(deps.members.add).not.toHaveBeenCalled();
    expect(ctx.project).toBe(created);
  });
});
