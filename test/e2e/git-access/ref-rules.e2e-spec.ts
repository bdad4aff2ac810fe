import { renameSync } from 'node:fs';
import { DeployKeysService } from '../../../src/git-access/admin/deploy-keys.service';
import { ProtectedRefsService } from '../../../src/git-access/admin/protected-refs.service';
import { Key } from '../../../src/identity/entities/key.entity';
import { Project } from '../../../src/namespaces/entities/project.entity';
import { GitHistoryService } from '../../../src/git-access/git-history.service';
import { addMember, createProject, newSshPublicKey } from '../../helpers/factories';
import { A, B, buildFixtures, commit, createLocalProject, expectDenied, Fixtures, git, hookBody, post, pullBody, Z } from './fixtures';

describe('per-change ref rules through Gitaly', () => {
  let f: Fixtures;
  let refs: ProtectedRefsService;
  beforeAll(async () => {
    f = await buildFixtures();
    refs = f.t.get<ProtectedRefsService>(ProtectedRefsService);
  });
  afterAll(() => f.close());

  const allowed = (body: object) => post(f.t, '/allowed', body);
  const hook = (p: Project, actor: Parameters<typeof hookBody>[1], changes: string, proto = 'ssh', extra: Record<string, unknown> = {}) =>
    allowed(hookBody(p, actor, changes, proto, extra));
  const PROTECTED_PUSH = 'You are not allowed to push code to protected branches on this project.';

  it('#48 pushing to protected main: Developer no, Maintainer yes, admin no (not a member)', async () => {
    expectDenied(await hook(f.priv, f.users.alice, `${A} ${B} refs/heads/main\n`), 401, PROTECTED_PUSH);
    expect((await hook(f.priv, f.users.mia, `${A} ${B} refs/heads/main\n`)).status).toBe(200);
    expectDenied(await hook(f.priv, f.users.root, `${A} ${B} refs/heads/main\n`), 401, PROTECTED_PUSH);
  });

  it('#49 the default branch cannot be deleted', async () => {
    expectDenied(await hook(f.priv, f.users.mia, `${A} ${Z} refs/heads/main\n`, 'web'), 401, 'The default branch of a project cannot be deleted.');
  });

  it('#50 40-hex branch names cannot be created, but can be deleted', async () => {
    const msg = 'You cannot create a branch with a 40-character hexadecimal branch name.';
    expectDenied(await hook(f.priv, f.users.alice, `${Z} ${B} refs/heads/${A}\n`), 401, msg);
    expectDenied(await hook(f.priv, f.users.alice, `${Z} ${B} refs/heads/${A}/x\n`), 401, msg);
    expect((await hook(f.priv, f.users.alice, `${A} ${Z} refs/heads/${A}\n`)).status).toBe(200);
  });

  it('#51 creating a protected branch: web only, and only with merge rights', async () => {
    await refs.createBranch(f.priv.id, { name: 'release/*', push: [{ access_level: 40 }], merge: [{ access_level: 30 }], allowForcePush: false });
    try {
      expectDenied(
        await hook(f.priv, f.users.alice, `${Z} ${B} refs/heads/release/1\n`, 'ssh'),
        401,
        'You can only create protected branches using the web interface and API.',
      );
      expect((await hook(f.priv, f.users.alice, `${Z} ${B} refs/heads/release/1\n`, 'web')).status).toBe(200);
      await f.t.dataSource.query(
        `UPDATE protected_branch_merge_access_levels SET access_level = 40 WHERE protected_branch_id = (SELECT id FROM protected_branches WHERE project_id = $1 AND name = 'release/*')`,
        [f.priv.id],
      );
      expectDenied(await hook(f.priv, f.users.alice, `${Z} ${B} refs/heads/release/1\n`, 'web'), 401, 'You are not allowed to create protected branches on this project.');
    } finally {
      await refs.deleteBranch(f.priv.id, 'release/*');
    }
  });

  it('#52 deleting a protected branch: maintainers, through the web', async () => {
    await refs.createBranch(f.priv.id, { name: 'stable', push: [{ access_level: 40 }], merge: [{ access_level: 40 }], allowForcePush: false });
    try {
      expectDenied(await hook(f.priv, f.users.mia, `${A} ${Z} refs/heads/stable\n`, 'ssh'), 401, 'You can only delete protected branches using the web interface.');
      expectDenied(
        await hook(f.priv, f.users.alice, `${A} ${Z} refs/heads/stable\n`, 'web'),
        401,
        'You are not allowed to delete protected branches from this project. Only a project maintainer or owner can delete a protected branch.',
      );
      expect((await hook(f.priv, f.users.mia, `${A} ${Z} refs/heads/stable\n`, 'web')).status).toBe(200);
    } finally {
      await refs.deleteBranch(f.priv.id, 'stable');
    }
  });

  it('#53 a protected branch in an empty repository', async () => {
    const empty = await createProject(f.t, f.grp, 'empty', { visibility: 0, defaultBranch: null });
    await refs.createBranch(empty.id, { name: 'main', push: [{ access_level: 40 }], merge: [{ access_level: 40 }], allowForcePush: false });
    const res = await hook(empty, f.users.alice, `${Z} ${B} refs/heads/main\n`);
    expectDenied(
      res,
      401,
      '\nA default branch (e.g. main) does not yet exist for grp/empty\nAsk a project Owner or Maintainer to create a default branch:\n\n  http://gitlab.test/grp/empty/-/project_members\n\n',
    );
    expect((await hook(empty, f.users.mia, `${Z} ${B} refs/heads/main\n`)).status).toBe(200);
  });

  it('#56 prohibited tag names', async () => {
    expectDenied(await hook(f.priv, f.users.alice, `${Z} ${B} refs/tags/main\n`), 401, 'You cannot use default branch name to create a tag');
    expectDenied(await hook(f.priv, f.users.alice, `${Z} ${B} refs/tags/refs/tags/x\n`), 401, 'You cannot create a tag with a prohibited pattern.');
    expectDenied(await hook(f.priv, f.users.alice, `${Z} ${B} refs/tags/bad..name\n`), 401, 'You cannot create a tag with a prohibited pattern.');
    expectDenied(await hook(f.priv, f.users.alice, `${Z} ${B} refs/tags/${A}\n`), 401, 'You cannot create a tag with a SHA-1 or SHA-256 tag name.');
  });

  it('#57 protected tags', async () => {
    expectDenied(await hook(f.priv, f.users.alice, `${Z} ${B} refs/tags/v1.0\n`), 401, 'You are not allowed to create this tag as it is protected.');
    expect((await hook(f.priv, f.users.mia, `${Z} ${B} refs/tags/v1.0\n`)).status).toBe(200);
    expectDenied(await hook(f.priv, f.users.mia, `${A} ${B} refs/tags/v1.0\n`), 401, 'Protected tags cannot be updated.');
    expectDenied(
      await hook(f.priv, f.users.alice, `${A} ${Z} refs/tags/v1.0\n`, 'web'),
      401,
      'You are not allowed to delete protected tags from this project. Only a project maintainer or owner can delete a protected tag.',
    );
    expectDenied(await hook(f.priv, f.users.mia, `${A} ${Z} refs/tags/v1.0\n`, 'ssh'), 401, 'You can only delete protected tags using the web interface.');
    expect((await hook(f.priv, f.users.mia, `${A} ${Z} refs/tags/v1.0\n`, 'web')).status).toBe(200);
  });

  it('#58 a writable deploy key whose creator is a Reporter', async () => {
    const dk = t().get<DeployKeysService>(DeployKeysService);
    const view = await dk.createForProject(f.priv.id, { title: 'DKr', key: newSshPublicKey('dkr'), userId: f.users.rita.id, canPush: true });
    const key = await f.t.dataSource.getRepository(Key).findOneByOrFail({ id: view.id });
    expectDenied(await hook(f.priv, { key }, `${A} ${B} refs/tags/t1\n`), 401, 'You are not allowed to change existing tags on this project.');
    expectDenied(await hook(f.priv, { key }, `${A} ${B} refs/heads/main\n`), 401, PROTECTED_PUSH);
    await refs.updateBranch(f.priv.id, 'main', { push: [{ deploy_key_id: view.id }] });
    expect((await hook(f.priv, { key }, `${A} ${B} refs/heads/main\n`)).status).toBe(200);
  });

  it('#59 a writable deploy key whose creator is a Maintainer', async () => {
    expect((await hook(f.priv, { key: f.dk.rw }, `${A} ${B} refs/heads/main\n`)).status).toBe(200);
  });

  it('#60 the first failing line wins', async () => {
    expectDenied(await hook(f.priv, f.users.alice, `${A} ${B} refs/heads/ok\n${A} ${B} refs/heads/main\n`), 401, PROTECTED_PUSH);
  });

  it('a deploy key can always create a protected tag; other refs only need push rights', async () => {
    expect((await hook(f.priv, { key: f.dk.rw }, `${Z} ${B} refs/tags/v9\n`)).status).toBe(200);
    expect((await hook(f.priv, f.users.alice, `${A} ${B} refs/notes/commits\n`)).status).toBe(200);
    expectDenied(await hook(f.priv, f.users.rita, `${A} ${B} refs/notes/commits\n`), 401, 'You are not allowed to push code to this project.');
  });

  describe('LOCAL: history checks on a storage with a path', () => {
    let lpriv: Project;
    let dir: string;
    let c1: string;
    let c2: string;
    let c3: string;
    beforeAll(async () => {
      ({ project: lpriv, dir } = await createLocalProject(f, f.grp, 'lpriv'));
      await refs.createBranch(lpriv.id, { name: 'main', push: [{ access_level: 40 }], merge: [{ access_level: 40 }], allowForcePush: false });
      c1 = commit(dir, 'c1');
      c2 = commit(dir, 'c2'); // not a descendant of c1
      c3 = commit(dir, 'c3', c1);
      git(dir, ['update-ref', 'refs/heads/main', c1]);
      git(dir, ['update-ref', 'refs/heads/feature', c3]);
    });

    it('#54 a force push to a protected branch is refused unless the rule allows it; skipped without LOCAL', async () => {
      const { env: _env, ...noEnv } = hookBody(lpriv, f.users.mia, `${c1} ${c2} refs/heads/main\n`);
      expectDenied(await allowed(noEnv), 401, 'You are not allowed to force push code to a protected branch on this project.');
      const forward = commit(dir, 'c1-child', c1);
      expect((await hook(lpriv, f.users.mia, `${c1} ${forward} refs/heads/main\n`)).status).toBe(200);
      await refs.updateBranch(lpriv.id, 'main', { allowForcePush: true });
      expect((await allowed(noEnv)).status).toBe(200);
      await refs.updateBranch(lpriv.id, 'main', { allowForcePush: false });
      // priv lives on the default storage (no path): the check is skipped
      expect((await hook(f.priv, f.users.mia, `${c1} ${c2} refs/heads/main\n`)).status).toBe(200);
      // an unknown commit cannot be judged: treated as not forced
      expect((await hook(lpriv, f.users.mia, `${c1} ${B} refs/heads/main\n`)).status).toBe(200);
    });

    it('#55 a new protected branch must start from an existing protected branch', async () => {
      await refs.createBranch(lpriv.id, { name: 'release/*', push: [{ access_level: 40 }], merge: [{ access_level: 30 }], allowForcePush: false });
      try {
        const { env: _env, ...noEnv } = hookBody(lpriv, f.users.alice, `${Z} ${c3} refs/heads/release/2\n`, 'web');
        expectDenied(await allowed(noEnv), 401, 'You can only use an existing protected branch ref as the basis of a new protected branch.');
        // c1 is on main (protected): accepted
        const { env: _e2, ...fromMain } = hookBody(lpriv, f.users.alice, `${Z} ${c1} refs/heads/release/3\n`, 'web');
        expect((await allowed(fromMain)).status).toBe(200);
      } finally {
        await refs.deleteBranch(lpriv.id, 'release/*');
      }
    });

    it('quarantined objects are found through env', async () => {
      // write a commit into a quarantine directory only, as Gitaly's pre-receive sees it
      const quarantine = `${dir}/objects/incoming-q`;
      require('node:fs').mkdirSync(quarantine, { recursive: true });
      const tree = git(dir, ['mktree'], '');
      const hidden = require('node:child_process')
        .execFileSync('git', [`--git-dir=${dir}`, 'commit-tree', tree, '-m', 'quarantined'], {
          env: {
            PATH: process.env.PATH,
            GIT_OBJECT_DIRECTORY: quarantine,
            GIT_ALTERNATE_OBJECT_DIRECTORIES: `${dir}/objects`,
            GIT_AUTHOR_NAME: 'T',
            GIT_AUTHOR_EMAIL: 't@e',
            GIT_COMMITTER_NAME: 'T',
            GIT_COMMITTER_EMAIL: 't@e',
          },
          encoding: 'utf8',
        })
        .trim();
      const env = JSON.stringify({ GIT_OBJECT_DIRECTORY_RELATIVE: 'objects/incoming-q', GIT_ALTERNATE_OBJECT_DIRECTORIES_RELATIVE: [] });
      expectDenied(
        await hook(lpriv, f.users.mia, `${c1} ${hidden} refs/heads/main\n`, 'ssh', { env }),
        401,
        'You are not allowed to force push code to a protected branch on this project.',
      );
    });

    it('G13f checks beyond the 50 s budget answer 503 with the timing of the finished checks', async () => {
      const realNow = Date.now.bind(Date);
      let offset = 0;
      const clock = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);
      const original = GitHistoryService.prototype.isForcePush;
      const slow = jest.spyOn(GitHistoryService.prototype, 'isForcePush').mockImplementation(async function (this: GitHistoryService, ...args) {
        offset += 51_000;
        return original.apply(this, args);
      });
      try {
        const forward = commit(dir, 'budget', c1);
        const res = await hook(lpriv, f.users.mia, `${c1} ${forward} refs/heads/main\n${c1} ${forward} refs/heads/main\n`);
        expect(res.status).toBe(503);
        expect(res.body.status).toBe(false);
        expect(res.body.message).toMatch(/^Push operation timed out\n\nTiming information for debugging purposes:\nChecking refs\/heads\/main \(\d+\.\d+s\)$/);
      } finally {
        slow.mockRestore();
        clock.mockRestore();
      }
    });

    it('#40 a missing local repository directory', async () => {
      expect((await allowed(pullBody(lpriv, f.keys.alice))).status).toBe(200);
      renameSync(dir, `${dir}.moved`);
      try {
        expectDenied(await allowed(pullBody(lpriv, f.keys.alice)), 404, 'A repository for this project does not exist yet.');
      } finally {
        renameSync(`${dir}.moved`, dir);
      }
    });
  });

  function t() {
    return f.t;
  }

  it('membership counts only when active (awaiting pat cannot push)', async () => {
    await addMember(f.t, f.pub, f.users.eve, 30, { state: 1 });
    expectDenied(await hook(f.pub, f.users.eve, `${A} ${B} refs/heads/x\n`), 401, 'You are not allowed to push code to this project.');
  });
});
