/** Namespace (group, username) path format */
export const NAMESPACE_PATH_ERROR =
  "can contain only letters, digits, '_', '-' and '.'. Cannot start with '-' or end in '.', '.git' or '.atom'.";
/** Project path format */
export const PROJECT_PATH_ERROR =
  "can contain only letters, digits, '_', '-' and '.'. Cannot start with '-', end in '.git' or end in '.atom'";
export const PROJECT_PATH_SPECIAL_ERROR =
  'must not start or end with a special character and must not contain consecutive special characters.';

export function isValidNamespacePath(path: string): boolean {
  return (
    path.length >= 1 &&
    path.length <= 255 &&
    /^[A-Za-z0-9_.-]+$/.test(path) &&
    !path.startsWith('-') &&
    !path.endsWith('.') &&
    !/\.(git|atom)$/i.test(path)
  );
}

/** The first model error of a project path, or null when valid. */
export function projectPathError(path: string): string | null {
  if (path.length < 1 || path.length > 255 || !/^[A-Za-z0-9_.-]+$/.test(path) || path.startsWith('-') || /\.(git|atom)$/i.test(path))
    return PROJECT_PATH_ERROR;
  if (/^[_.-]|[_.-]$|[_.-]{2}/.test(path)) return PROJECT_PATH_SPECIAL_ERROR;
  return null;
}
