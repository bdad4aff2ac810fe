import { EntityManager } from 'typeorm';

/** GitLab's top-level routes (`Gitlab::PathRegex::TOP_LEVEL_ROUTES`): never a username. */
export const RESERVED_TOP_LEVEL_NAMES = new Set([
  '-',
  '.well-known',
  '404.html',
  '422.html',
  '500.html',
  '502.html',
  '503.html',
  'abuse_reports',
  'admin',
  'api',
  'apple-touch-icon-precomposed.png',
  'apple-touch-icon.png',
  'assets',
  'autocomplete',
  'ci',
  'dashboard',
  'deploy.html',
  'explore',
  'favicon.ico',
  'favicon.png',
  'files',
  'groups',
  'header_logo_dark.png',
  'header_logo_light.png',
  'health_check',
  'help',
  'import',
  'invites',
  'jwt',
  'koding',
  'login',
  'notification_settings',
  'oauth',
  'profile',
  'projects',
  'public',
  'robots.txt',
  's',
  'search',
  'sent_notifications',
  'slash-command-logo.png',
  'snippets',
  'u',
  'unsubscribes',
  'uploads',
  'users',
  'v2',
]);

/** Steps 1–7: the username GitLab derives from an IdP's userName (letter case kept). */
export function sanitizeUsername(userName: string): string {
  let s = userName;
  const at = s.indexOf('@');
  if (at >= 0) s = s.slice(0, at);
  s = s.replace(/[^A-Za-z0-9_.-]/g, '');
  // Repeated until stable: collapsing runs can expose a new `.git` ending (`x.-git` → `x.git`).
  for (let previous = ''; previous !== s;) {
    previous = s;
    while (/(\.git|\.atom|\.)$/i.test(s)) s = s.replace(/(\.git|\.atom|\.)$/i, '');
    s = s.replace(/^-+/, '');
    s = s.replace(/^[_.-]+/, '').replace(/[_.-]+$/, '');
    s = s.replace(/([_.-])[_.-]+/g, '$1');
  }
  if (s === '') s = 'blank';
  // users.username holds 255 characters, with room for a numeric suffix
  return s.slice(0, 240).replace(/[_.-]+$/, '') || 'blank';
}

/**
 * Step 8: the first of `base`, `base1`, `base2`… that is no username, namespace path or reserved name.
 * `taken` answers the lower-cased usernames and namespace paths that start with a prefix.
 */
export async function uniqueUsername(taken: (prefix: string) => Promise<Set<string>>, base: string): Promise<string> {
  const names = await taken(base);
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? base : `${base}${n}`;
    const lower = candidate.toLowerCase();
    if (!names.has(lower) && !RESERVED_TOP_LEVEL_NAMES.has(lower)) return candidate;
  }
}
