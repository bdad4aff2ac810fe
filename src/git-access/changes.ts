/** Parsing of `changes` and of push options. */

export interface ChangeLine {
  oldrev: string;
  newrev: string;
  ref: string;
}

const BLANK_SHA1 = '0'.repeat(40);
const BLANK_SHA256 = '0'.repeat(64);

/** 40 zeros (SHA-1) or 64 zeros (SHA-256). */
export function isBlankRev(rev: string): boolean {
  return rev === BLANK_SHA1 || rev === BLANK_SHA256;
}

/** `oldrev newrev ref` lines; blank lines and lines with fewer than three fields are skipped. */
export function parseChanges(changes: string): ChangeLine[] {
  const lines: ChangeLine[] = [];
  for (const raw of changes.split('\n')) {
    const fields = raw.trim().split(/\s+/);
    if (fields.length < 3 || fields[0] === '') continue;
    lines.push({ oldrev: fields[0], newrev: fields[1], ref: fields[2] });
  }
  return lines;
}

export type RefType = 'branch' | 'tag' | 'other';

export function refType(ref: string): RefType {
  if (ref.startsWith('refs/heads/')) return 'branch';
  if (ref.startsWith('refs/tags/')) return 'tag';
  return 'other';
}

export function changeAction(line: ChangeLine): 'created' | 'removed' | 'pushed' {
  if (isBlankRev(line.oldrev)) return 'created';
  if (isBlankRev(line.newrev)) return 'removed';
  return 'pushed';
}

const KEPT_PUSH_OPTIONS: Record<string, string[]> = {
  merge_request: [
    'assign',
    'create',
    'description',
    'draft',
    'label',
    'merge_when_pipeline_succeeds',
    'milestone',
    'remove_source_branch',
    'target',
    'target_project',
    'title',
    'unassign',
    'unlabel',
  ],
  ci: ['skip', 'variable'],
  integrations: ['skip_ci'],
  secret_detection: ['skip_all'],
};
const MULTI_VALUE = new Set(['ci.variable', 'merge_request.label', 'merge_request.unlabel', 'merge_request.assign', 'merge_request.unassign']);

export type PushOptions = Record<string, Record<string, unknown>>;

/** GitLab's `Gitlab::PushOptions`: kept keys only, `mr` aliasing `merge_request`, an empty value meaning true. */
export function parsePushOptions(options: string[] | undefined): PushOptions {
  const parsed: PushOptions = {};
  for (const option of options ?? []) {
    const m = /^([^.]+)\.([^=]+)=?(.*)$/s.exec(option);
    if (!m) continue;
    const namespace = m[1] === 'mr' ? 'merge_request' : m[1];
    const key = m[2];
    if (!KEPT_PUSH_OPTIONS[namespace]?.includes(key)) continue;
    const value: unknown = m[3] === '' ? true : m[3];
    const bucket = (parsed[namespace] ??= {});
    if (MULTI_VALUE.has(`${namespace}.${key}`)) {
      const counts = (bucket[key] as Record<string, number> | undefined) ?? {};
      const name = String(value);
      counts[name] = (counts[name] ?? 0) + 1;
      bucket[key] = counts;
    } else {
      bucket[key] = value;
    }
  }
  return parsed;
}
