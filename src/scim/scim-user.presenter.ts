import { isoTimestamp } from '../common/coerce';
import { User } from '../identity/entities/user.entity';
import { ScimIdentity } from './entities/scim-identity.entity';
import { stripUserUrn, USER_SCHEMA } from './scim.constants';

export type ScimResource = Record<string, unknown>;

/** The User resource for one identity and its user; `baseUrl` is the scope's absolute base URL. */
export function userResource(identity: ScimIdentity, user: User, baseUrl: string): ScimResource {
  const formatted = user.name;
  const space = formatted.indexOf(' ');
  const givenName = identity.given_name ?? (space < 0 ? formatted : formatted.slice(0, space));
  const familyName = identity.family_name ?? (space < 0 ? '' : formatted.slice(space + 1).trim());
  const name: Record<string, string> = { formatted };
  if (givenName) name.givenName = givenName;
  if (familyName) name.familyName = familyName;
  return {
    schemas: [USER_SCHEMA],
    id: identity.extern_uid,
    externalId: identity.extern_uid,
    active: identity.active,
    name,
    'name.formatted': formatted,
    userName: identity.user_name ?? user.username,
    meta: {
      resourceType: 'User',
      created: isoTimestamp(identity.created_at),
      lastModified: isoTimestamp(identity.updated_at),
      location: `${baseUrl}/Users/${encodeURIComponent(identity.extern_uid)}`,
    },
    emails: [{ type: 'work', value: user.email, primary: true }],
  };
}

/** Parsed `attributes` / `excludedAttributes`: lower-case top-level name → the sub-attributes named, or `all`. */
type Selection = Map<string, Set<string> | 'all'>;

function parseSelection(list: string | undefined): Selection | null {
  if (list === undefined) return null;
  const names = list
    .split(',')
    .map((n) => stripUserUrn(n.trim()).toLowerCase())
    .filter((n) => n !== '');
  if (names.length === 0) return null;
  const selection: Selection = new Map();
  for (const name of names) {
    const dot = name.indexOf('.');
    const top = dot < 0 ? name : name.slice(0, dot);
    const sub = dot < 0 ? null : name.slice(dot + 1);
    const current = selection.get(top);
    if (sub === null || current === 'all') selection.set(top, 'all');
    else selection.set(top, new Set([...(current ?? []), sub]));
  }
  return selection;
}

function keepSubs(value: unknown, subs: Set<string>, keep: boolean): unknown {
  const pick = (obj: unknown) => {
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return obj;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) if (subs.has(k.toLowerCase()) === keep) out[k] = v;
    return out;
  };
  const isEmpty = (v: unknown) => !!v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0;
  if (Array.isArray(value)) {
    const items = value.map(pick).filter((v) => !isEmpty(v));
    return items.length ? items : undefined;
  }
  const picked = pick(value);
  return isEmpty(picked) ? undefined : picked;
}

const ALWAYS = new Set(['schemas', 'id']);
const FLAT_NAME = 'name.formatted';

/** RFC 7644 §3.9 on one resource: `attributes` first, then `excludedAttributes`. */
export function selectAttributes(resource: ScimResource, attributes?: string, excludedAttributes?: string): ScimResource {
  const include = parseSelection(attributes);
  const exclude = parseSelection(excludedAttributes);
  if (!include && !exclude) return resource;
  const out: ScimResource = {};
  for (const [key, value] of Object.entries(resource)) {
    if (key === FLAT_NAME) continue;
    const lower = key.toLowerCase();
    let v: unknown = value;
    if (!ALWAYS.has(lower)) {
      if (include) {
        const spec = include.get(lower);
        v = spec === undefined ? undefined : spec === 'all' ? v : keepSubs(v, spec, true);
      }
      if (exclude && v !== undefined) {
        const spec = exclude.get(lower);
        v = spec === undefined ? v : spec === 'all' ? undefined : keepSubs(v, spec, false);
      }
    }
    if (v === undefined) continue;
    out[key] = v;
    // the flat alias follows `name` exactly when `name.formatted` survived the selection
    if (key === 'name' && v && typeof v === 'object' && 'formatted' in v) out[FLAT_NAME] = (v as { formatted: unknown }).formatted;
  }
  return out;
}

/** The User resource of an identity read (or created) together with its user. */
export const identityResource = (identity: ScimIdentity, baseUrl: string): ScimResource =>
  userResource(identity, identity.user as User, baseUrl);
