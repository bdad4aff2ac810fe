import { ChangeLine, isBlankRev } from '../changes';
import { MESSAGES } from '../messages';
import { isHexBranchName, refNameMatches } from '../ref-rules';
import { deny } from './access-denied';
import { canMergeToBranch, canPushToBranch, RefAccess, RefHistory } from './ref-access';

/** The rules of one change to a branch (B1–B10), in order; `branch` is the ref without `refs/heads/`. */
export async function checkBranchChange(access: RefAccess, git: RefHistory, line: ChangeLine, branch: string): Promise<void> {
  const creation = isBlankRev(line.oldrev);
  const deletion = isBlankRev(line.newrev);
  const update = !creation && !deletion;
  const empty = access.project.default_branch === null;
  // B1
  if (deletion && branch === access.project.default_branch) throw deny('B1', MESSAGES.deleteDefaultBranch);
  // B2
  if (!deletion && isHexBranchName(branch)) throw deny('B2', MESSAGES.hexBranchName);
  const rules = access.branches.filter((r) => refNameMatches(r.name, branch));
  if (!rules.length) return;
  // B3
  if (update && !empty && access.history && !rules.some((r) => r.allow_force_push)) {
    if (await git.isForcePush(access.history, access.env, line.oldrev, line.newrev)) throw deny('B3', MESSAGES.forcePushProtectedBranch);
  }
  if (empty) {
    // B4
    if (!canPushToBranch(access, rules)) throw deny('B4', MESSAGES.emptyRepository(access.project.full_path, access.externalUrl));
    return;
  }
  if (creation) {
    if (canPushToBranch(access, rules)) return;
    // B5
    if (!canMergeToBranch(access, rules)) throw deny('B5', MESSAGES.createProtectedBranch);
    // B6
    if (access.history) {
      const containing = await git.branchesContaining(access.history, access.env, line.newrev);
      if (containing !== null && !containing.some((b) => access.branches.some((r) => refNameMatches(r.name, b)))) {
        throw deny('B6', MESSAGES.invalidCommitForProtectedBranch);
      }
    }
    // B7
    if (access.protocol !== 'web') throw deny('B7', MESSAGES.nonWebCreateProtectedBranch);
    return;
  }
  if (deletion) {
    // B8
    if (!access.maintainer) throw deny('B8', MESSAGES.deleteProtectedBranch);
    // B9
    if (access.protocol !== 'web') throw deny('B9', MESSAGES.nonWebDeleteProtectedBranch);
    return;
  }
  // B10
  if (!canPushToBranch(access, rules)) throw deny('B10', MESSAGES.pushProtectedBranch);
}
