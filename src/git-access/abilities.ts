/** The permission model as pure functions of the project, the user and L(user, project). */

export interface AbilityProject {
  visibility_level: number;
  repository_access_level: number;
  archived: boolean;
}

export interface AbilityUser {
  admin: boolean;
  external: boolean;
}

const PRIVATE = 0;
const INTERNAL = 10;
const PUBLIC = 20;
const REPO_DISABLED = 0;
const REPO_ENABLED = 20;

/** `read_project`; `user` null = anonymous, `level` = L(user, project). */
export function canReadProject(p: AbilityProject, user: AbilityUser | null, level: number): boolean {
  if (user?.admin) return true;
  if (p.visibility_level === PUBLIC) return true;
  if (p.visibility_level === INTERNAL && user && !user.external) return true;
  return level >= 10;
}

/** `download_code`. */
export function canDownloadCode(p: AbilityProject, user: AbilityUser | null, level: number): boolean {
  if (p.repository_access_level === REPO_DISABLED) return false;
  if (!canReadProject(p, user, level)) return false;
  if (user?.admin) return true;
  if (level >= 20) return true;
  if (level >= 10 && p.visibility_level !== PRIVATE) return true;
  return (
    p.repository_access_level === REPO_ENABLED &&
    (p.visibility_level === PUBLIC || (p.visibility_level === INTERNAL && !!user && !user.external))
  );
}

/** `push_code` (= `admin_tag`). */
export function canPushCode(p: AbilityProject, user: AbilityUser | null, level: number): boolean {
  if (!user) return false;
  return p.repository_access_level !== REPO_DISABLED && !p.archived && (user.admin || level >= 30);
}

/** `maintainer_access` (= `push_to_delete_protected_branch`). */
export function canMaintain(p: AbilityProject, user: AbilityUser | null, level: number): boolean {
  if (!user) return false;
  return !p.archived && (user.admin || level >= 40);
}
