/** Ref-name rules: protected-name matching, prohibited branch and tag names. */

/** A protected rule matches a name: equal, or a `*` pattern (any sequence, `/` included), anchored, case-sensitive. */
export function refNameMatches(rule: string, name: string): boolean {
  if (rule === name) return true;
  if (!rule.includes('*')) return false;
  const pattern = rule
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`, 's').test(name);
}

/** B2: `^[0-9a-fA-F]{40}(-/|/|$)`. */
export function isHexBranchName(branch: string): boolean {
  return /^[0-9a-fA-F]{40}(-\/|\/|$)/.test(branch);
}

/** T4: starts with 40 hex digits (covers SHA-256 names). */
export function isHexTagName(tag: string): boolean {
  return /^[0-9a-fA-F]{40}/.test(tag);
}

/** GitLab's `Gitlab::GitRefValidator` plus `git check-ref-format`, as listed */
export function isInvalidTagName(tag: string): boolean {
  if (tag === '' || tag === 'HEAD' || tag === '@') return true;
  if (tag.startsWith('-') || tag.startsWith('refs/heads/') || tag.startsWith('refs/remotes/')) return true;
  if (tag.includes('..') || tag.includes('@{') || tag.includes('\\') || tag.includes('//')) return true;
  // space, control characters, ~ ^ : ? * [
  if (/[\x00-\x20\x7f~^:?*[]/.test(tag)) return true;
  if (tag.startsWith('/') || tag.endsWith('/') || tag.endsWith('.')) return true;
  return tag.split('/').some((component) => component.startsWith('.') || component.endsWith('.lock'));
}

/** Percent-encoding of a branch for the merge-request link: keeps `A-Za-z0-9_.-~`, space → `+`. */
export function escapeBranchForQuery(branch: string): string {
  let out = '';
  for (const byte of Buffer.from(branch, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9_.\-~]/.test(ch)) out += ch;
    else if (ch === ' ') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
