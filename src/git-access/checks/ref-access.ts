import { GitEnv, GitHistoryService } from '../git-history.service';
import { RepoProject } from '../repository.service';
import { AccessLevelRow, ProtectedBranchRule, ProtectedTagRule } from './protected-refs.repository';

/**
 * What one push's change lines are checked against, computed once per push: the actor's capabilities on the
 * project (as the user whose roles count: the pusher, or a deploy key's creator), the protected refs, and the
 * local repository for the history checks.
 */
export interface RefAccess {
  project: Pick<RepoProject, 'default_branch' | 'full_path'>;
  protocol: string;
  /** The acting deploy key, if any. */
  deployKeyId: number | null;
  /** `push_code` (a deploy key: writable, with an active creator who may read the project). */
  canPush: boolean;
  /** The user's own `push_code` (`admin_tag`), whatever key acts. */
  adminTag: boolean;
  /** `maintainer_access` (`push_to_delete_protected_branch`). */
  maintainer: boolean;
  refUserAdmin: boolean;
  refUserLevel: number;
  branches: ProtectedBranchRule[];
  tags: ProtectedTagRule[];
  /** The local repository directory when it exists (history checks run only then). */
  history: string | null;
  env: GitEnv;
  externalUrl: string;
}

/** The history questions the branch rules ask git. */
export type RefHistory = Pick<GitHistoryService, 'isForcePush' | 'branchesContaining'>;

/** Whether an access-level row admits the actor. */
export function admits(access: RefAccess, row: AccessLevelRow): boolean {
  if (row.deploy_key_id !== null) return access.deployKeyId !== null && row.deploy_key_id === access.deployKeyId;
  if (row.access_level === 60) return access.refUserAdmin;
  if (row.access_level === 30 || row.access_level === 40) return access.adminTag && access.refUserLevel >= row.access_level;
  return false;
}

/** The actor may push to a branch the rules protect. */
export function canPushToBranch(access: RefAccess, rules: ProtectedBranchRule[]): boolean {
  return access.canPush && rules.some((r) => r.push.some((l) => admits(access, l)));
}

/** The actor may merge into a branch the rules protect. */
export function canMergeToBranch(access: RefAccess, rules: ProtectedBranchRule[]): boolean {
  return rules.some((r) => r.merge.some((level) => admits(access, { access_level: level, deploy_key_id: null })));
}

/** The actor may create a tag the rules protect (a deploy key always may). */
export function canCreateTag(access: RefAccess, rules: ProtectedTagRule[]): boolean {
  if (access.deployKeyId !== null) return true;
  return rules.some((r) => r.create.some((l) => admits(access, l)));
}
