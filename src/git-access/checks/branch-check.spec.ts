import { aRefAccess, BLANK, denialOf, SHA_A, SHA_B } from '../../../test/helpers/access-context';
import { MESSAGES } from '../messages';
import { checkBranchChange } from './branch-check';
import { ProtectedBranchRule } from './protected-refs.repository';
import { RefAccess, RefHistory } from './ref-access';

const line = (oldrev: string, newrev: string, name = 'main') => ({ oldrev, newrev, ref: `refs/heads/${name}` });
const update = line(SHA_A, SHA_B);
const creation = (name: string) => line(BLANK, SHA_B, name);
const deletion = (name: string) => line(SHA_A, BLANK, name);
const denied = (reason: string, message: string) => ({ reason, status: 401, body: { status: false, message } });

const protect = (name: string, push: number[], merge: number[] = [], allow_force_push = false): ProtectedBranchRule => ({
  name,
  allow_force_push,
  push: push.map((access_level) => ({ access_level, deploy_key_id: null })),
  merge,
});

/** git answers: whether the update is forced, and which branches contain the new commit. */
function history(forced = false, containing: string[] | null = []): RefHistory & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    isForcePush: async (repo, _env, oldrev, newrev) => {
      calls.push(`force ${repo} ${oldrev.slice(0, 1)}..${newrev.slice(0, 1)}`);
      return forced;
    },
    branchesContaining: async (repo, _env, rev) => {
      calls.push(`contains ${repo} ${rev.slice(0, 1)}`);
      return containing;
    },
  };
}

const check = (access: RefAccess, l: ReturnType<typeof line>, git = history()) =>
  denialOf(() => checkBranchChange(access, git, l, l.ref.slice('refs/heads/'.length)));

describe('branch rules', () => {
  it('B1: the default branch cannot be deleted', async () => {
    expect(await check(aRefAccess({ maintainer: true, protocol: 'web' }), deletion('main'))).toEqual(denied('B1', MESSAGES.deleteDefaultBranch));
    expect(await check(aRefAccess(), deletion('topic'))).toBeNull();
  });

  it('B2: no branch named by 40 hex digits (optionally followed by / or -/), except when deleting it', async () => {
    expect(await check(aRefAccess(), creation(SHA_A))).toEqual(denied('B2', MESSAGES.hexBranchName));
    expect(await check(aRefAccess(), creation(`${SHA_A}/x`))).toEqual(denied('B2', MESSAGES.hexBranchName));
    expect(await check(aRefAccess(), creation(`${SHA_A}x`))).toBeNull();
    expect(await check(aRefAccess(), deletion(SHA_A))).toBeNull();
  });

  it('an unprotected branch takes anything else', async () => {
    expect(await check(aRefAccess({ branches: [protect('release/*', [40])] }), line(SHA_A, SHA_B, 'topic'))).toBeNull();
  });

  it('B3: no force push to a protected branch without allow_force_push, asked of git only then', async () => {
    const access = aRefAccess({ branches: [protect('main', [30])], history: '/repo.git' });
    const forced = history(true);
    expect(await check(access, update, forced)).toEqual(denied('B3', MESSAGES.forcePushProtectedBranch));
    expect(forced.calls).toEqual(['force /repo.git a..b']);
    expect(await check(access, update, history(false))).toBeNull();
    const allowed = history(true);
    expect(await check(aRefAccess({ branches: [protect('main', [30], [], true)], history: '/repo.git' }), update, allowed)).toBeNull();
    expect(allowed.calls).toEqual([]);
    const noLocal = history(true);
    expect(await check(aRefAccess({ branches: [protect('main', [30])] }), update, noLocal)).toBeNull();
    expect(noLocal.calls).toEqual([]);
  });

  it('B4: an empty repository takes its first branch only from someone allowed to push it', async () => {
    const empty = { project: { default_branch: null, full_path: 'grp/proj' }, branches: [protect('*', [40])] };
    expect(await check(aRefAccess(empty), creation('main'))).toEqual(denied('B4', MESSAGES.emptyRepository('grp/proj', 'https://gitlab.example.com')));
    expect(await check(aRefAccess({ ...empty, refUserLevel: 40 }), creation('main'))).toBeNull();
  });

  describe('creating a protected branch', () => {
    const branches = [protect('release/*', [40], [30]), protect('stable', [40])];

    it('is allowed to whoever may push it', async () => {
      expect(await check(aRefAccess({ branches, refUserLevel: 40 }), creation('release/1'))).toBeNull();
    });

    it('B5: otherwise needs merge rights', async () => {
      expect(await check(aRefAccess({ branches, refUserLevel: 30 }), creation('stable'))).toEqual(denied('B5', MESSAGES.createProtectedBranch));
    });

    it('B6: from a commit some protected branch already contains', async () => {
      const access = aRefAccess({ branches, history: '/repo.git' });
      expect(await check(access, creation('release/1'), history(false, ['topic']))).toEqual(denied('B6', MESSAGES.invalidCommitForProtectedBranch));
      expect(await check(access, creation('release/1'), history(false, ['stable']))).toEqual(denied('B7', MESSAGES.nonWebCreateProtectedBranch));
      expect(await check(access, creation('release/1'), history(false, null))).toEqual(denied('B7', MESSAGES.nonWebCreateProtectedBranch));
    });

    it('B7: and only on the web', async () => {
      expect(await check(aRefAccess({ branches }), creation('release/1'))).toEqual(denied('B7', MESSAGES.nonWebCreateProtectedBranch));
      expect(await check(aRefAccess({ branches, protocol: 'web' }), creation('release/1'))).toBeNull();
    });
  });

  describe('deleting a protected branch', () => {
    const branches = [protect('stable', [30])];

    it('B8: needs a maintainer', async () => {
      expect(await check(aRefAccess({ branches, protocol: 'web' }), deletion('stable'))).toEqual(denied('B8', MESSAGES.deleteProtectedBranch));
    });

    it('B9: on the web', async () => {
      expect(await check(aRefAccess({ branches, maintainer: true }), deletion('stable'))).toEqual(denied('B9', MESSAGES.nonWebDeleteProtectedBranch));
      expect(await check(aRefAccess({ branches, maintainer: true, protocol: 'web' }), deletion('stable'))).toBeNull();
    });
  });

  it('B10: an update of a protected branch needs an admitting push level', async () => {
    expect(await check(aRefAccess({ branches: [protect('ma*', [40])] }), update)).toEqual(denied('B10', MESSAGES.pushProtectedBranch));
    expect(await check(aRefAccess({ branches: [protect('ma*', [40]), protect('main', [30])] }), update)).toBeNull();
  });
});
