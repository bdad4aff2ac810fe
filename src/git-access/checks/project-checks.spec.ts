import { aContext, aKey, anActor, aProject, aUser, denialOf } from '../../../test/helpers/access-context';
import { User } from '../../identity/entities/user.entity';
import { MESSAGES } from '../messages';
import { RepoProject } from '../repository.service';
import { ProjectAccessFacts } from './access-lookups';
import {
  checkCertificateNamespace,
  checkDownload,
  checkNamespaceInPath,
  checkRepositoryExists,
  checkVisibility,
  existingProject,
} from './project-checks';

const notFound = (reason: string) => ({ reason, status: 404, body: { status: false, message: MESSAGES.projectNotFound } });

/** Fixed answers: the user's level on the project and the deploy key's link. */
function facts(level: number, link: { can_push: boolean } | null = null): ProjectAccessFacts & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    level: async (user: User | null) => {
      asked.push(`level:${user?.id ?? 'none'}`);
      return user ? level : 0;
    },
    deployKeyLink: async () => {
      asked.push('link');
      return link;
    },
  };
}

describe('G5 certificate namespace', () => {
  const namespaces = (root: string | null) => ({
    namespaceByPath: jest.fn(async () => (root === null ? null : { id: 1, type: 'Group' as const, full_path: 'x', owner_id: null, root_full_path: root })),
  });

  it('lets a certificate reach projects under its top-level group, case-insensitively', async () => {
    const ctx = aContext({ params: { namespace_path: 'GRP' }, project: aProject({ root_namespace_full_path: 'grp' }) });
    expect(await denialOf(() => checkCertificateNamespace(ctx, namespaces(null)))).toBeNull();
  });

  it('refuses a project under another top-level group', async () => {
    const ctx = aContext({ params: { namespace_path: 'other' } });
    expect(await denialOf(() => checkCertificateNamespace(ctx, namespaces(null)))).toEqual({
      reason: 'G5',
      status: 401,
      body: { status: false, message: MESSAGES.namespaceNotAllowed },
    });
  });

  it('without a project, compares the root of the namespace the path names (none found: passes)', async () => {
    const base = { params: { namespace_path: 'other' }, project: null };
    const ctx = aContext(base);
    ctx.repo = { ...ctx.repo, requestPath: 'grp/sub/new' };
    const lookup = namespaces('grp');
    expect((await denialOf(() => checkCertificateNamespace(ctx, lookup)))?.reason).toBe('G5');
    expect(lookup.namespaceByPath).toHaveBeenCalledWith('grp/sub');
    expect(await denialOf(() => checkCertificateNamespace(ctx, namespaces(null)))).toBeNull();
  });

  it('applies only to requests without real changes and with a namespace_path', async () => {
    expect(await denialOf(() => checkCertificateNamespace(aContext({ params: { namespace_path: 'other' }, any: false }), namespaces(null)))).toBeNull();
    expect(await denialOf(() => checkCertificateNamespace(aContext({ params: {} }), namespaces(null)))).toBeNull();
  });
});

describe('G6 and G8 project designation', () => {
  it('G6: without a project the path must name a namespace and a project', async () => {
    const ctx = aContext({ project: null });
    ctx.repo = { ...ctx.repo, requestPath: 'lonely' };
    expect(await denialOf(() => checkNamespaceInPath(ctx))).toEqual({
      reason: 'G6',
      status: 404,
      body: { status: false, message: MESSAGES.namespaceNotFound },
    });
    ctx.repo = { ...ctx.repo, requestPath: 'grp/new' };
    expect(await denialOf(() => checkNamespaceInPath(ctx))).toBeNull();
  });

  it('G8: the project must exist', async () => {
    expect(await denialOf(() => existingProject(aContext({ project: null })))).toEqual(notFound('G8'));
    const project = aProject();
    expect(existingProject(aContext({ project }))).toBe(project);
  });
});

describe('G9 visibility', () => {
  const priv = aProject({ visibility_level: 0 });
  const pub = aProject({ visibility_level: 20 });

  it('a user reads a private project as a Guest or more, a public one always', async () => {
    expect(await denialOf(() => checkVisibility(aContext(), priv, facts(10)))).toBeNull();
    expect(await denialOf(() => checkVisibility(aContext(), priv, facts(0)))).toEqual(notFound('G9'));
    expect(await denialOf(() => checkVisibility(aContext(), pub, facts(0)))).toBeNull();
    expect(await denialOf(() => checkVisibility(aContext({ actor: anActor('key', aUser({ admin: true })) }), priv, facts(0)))).toBeNull();
  });

  it('a deploy key reads a project it is enabled on, or a public one, without asking for levels', async () => {
    const ctx = aContext({ actor: anActor('deploy_key', aUser({ admin: true }), aKey()) });
    const enabled = facts(50, { can_push: false });
    expect(await denialOf(() => checkVisibility(ctx, priv, enabled))).toBeNull();
    expect(enabled.asked).toEqual(['link']);
    expect(await denialOf(() => checkVisibility(ctx, priv, facts(50, null)))).toEqual(notFound('G9'));
    expect(await denialOf(() => checkVisibility(ctx, pub, facts(0, null)))).toBeNull();
  });
});

describe('G11 repository', () => {
  const repositories = (local: string | null, exists: boolean) => ({
    localRepository: jest.fn((_p: RepoProject, _rel?: string) => local),
    localRepositoryExists: jest.fn(() => exists),
  });

  it('needs the directory only on a storage with a local path', async () => {
    expect(await denialOf(() => checkRepositoryExists(aContext(), aProject(), repositories(null, false)))).toBeNull();
    expect(await denialOf(() => checkRepositoryExists(aContext(), aProject(), repositories('/repos/x.git', true)))).toBeNull();
    expect(await denialOf(() => checkRepositoryExists(aContext(), aProject(), repositories('/repos/x.git', false)))).toEqual({
      reason: 'G11',
      status: 404,
      body: { status: false, message: MESSAGES.repositoryNotFound },
    });
  });

  it("passes Gitaly's relative_path on", () => {
    const repos = repositories('/repos/y.git', true);
    const project = aProject();
    checkRepositoryExists(aContext({ params: { relative_path: '@hashed/y.git' } }), project, repos);
    expect(repos.localRepository).toHaveBeenCalledWith(project, '@hashed/y.git');
  });
});

describe('G12 download', () => {
  const denied = { reason: 'G12', status: 401, body: { status: false, message: MESSAGES.downloadNotAllowed } };
  const priv = aProject({ visibility_level: 0 });

  it('applies to downloads only', async () => {
    expect(await denialOf(() => checkDownload(aContext({ download: false }), priv, facts(0)))).toBeNull();
  });

  it('a user needs download_code', async () => {
    expect(await denialOf(() => checkDownload(aContext(), priv, facts(20)))).toBeNull();
    expect(await denialOf(() => checkDownload(aContext(), priv, facts(10)))).toEqual(denied);
    expect(await denialOf(() => checkDownload(aContext(), aProject({ repository_access_level: 0 }), facts(50)))).toEqual(denied);
  });

  it('a deploy key needs its link and a repository that is not disabled (or a public repository)', async () => {
    const ctx = aContext({ actor: anActor('deploy_key') });
    expect(await denialOf(() => checkDownload(ctx, priv, facts(0, { can_push: false })))).toBeNull();
    expect(await denialOf(() => checkDownload(ctx, aProject({ repository_access_level: 0 }), facts(0, { can_push: true })))).toEqual(denied);
    expect(await denialOf(() => checkDownload(ctx, priv, facts(0, null)))).toEqual(denied);
    expect(await denialOf(() => checkDownload(ctx, aProject({ visibility_level: 20 }), facts(0, null)))).toBeNull();
  });
});
