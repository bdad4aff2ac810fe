import { stripUserUrn } from './scim.constants';
import { invalidValue, scimError } from './scim-exceptions';

/** What a PATCH asks for once every operation has been read: the last value of each wins. */
export interface PatchOutcome {
  active?: boolean;
  externUid?: string;
}

/** A key of a JSON object, looked up case-insensitively (RFC 7643 §2.1). */
export function ciGet(obj: Record<string, unknown>, name: string): unknown {
  if (name in obj) return obj[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(obj)) if (key.toLowerCase() === lower) return obj[key];
  return undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const MALFORMED = 'Operations must be an array of operation objects';
const PROTECTED: Record<string, string> = { username: 'userName', emails: 'emails', schemas: 'schemas', meta: 'meta', groups: 'groups' };
const MANAGED: Record<string, string> = { active: 'active', id: 'id', externalid: 'externalId' };
const OPTIONAL = new Set(
  [
    'name',
    'displayName',
    'nickName',
    'profileUrl',
    'title',
    'userType',
    'preferredLanguage',
    'locale',
    'timezone',
    'password',
    'phoneNumbers',
    'ims',
    'photos',
    'addresses',
    'entitlements',
    'roles',
    'x509Certificates',
  ].map((n) => n.toLowerCase()),
);

/** `active`: booleans, or "true"/"false" in any case with surrounding whitespace. */
export function activeValue(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (text === 'true' || text === 'false') return text === 'true';
  }
  throw invalidValue('Invalid value for active');
}

function applyPath(outcome: PatchOutcome, op: 'set' | 'remove', path: string, value: unknown): void {
  const stripped = stripUserUrn(path);
  // another schema's attribute (an extension such as the enterprise User): accepted and ignored
  if (stripped === path && /^urn:/i.test(path)) return;
  const cut = stripped.search(/[.[]/);
  const attribute = (cut < 0 ? stripped : stripped.slice(0, cut)).toLowerCase();
  const hasSubPath = cut >= 0;
  const managed = MANAGED[attribute];
  if (managed) {
    if (op === 'remove') throw scimError(400, `Attribute ${managed} cannot be removed`, 'mutability');
    if (hasSubPath) throw scimError(400, `Invalid path: ${path}`, 'invalidPath');
    if (managed === 'active') outcome.active = activeValue(value);
    else {
      if (typeof value !== 'string' || value.trim() === '' || value.length > 255) throw invalidValue(`Invalid value for ${managed}`);
      outcome.externUid = value;
    }
    return;
  }
  if (PROTECTED[attribute]) {
    if (op === 'remove') throw scimError(400, `Attribute ${PROTECTED[attribute]} cannot be removed`, 'mutability');
    return;
  }
  if (OPTIONAL.has(attribute)) return;
  if (op === 'remove') throw scimError(400, `No attribute matches path ${path}`, 'noTarget');
}

/** Reads and validates every operation of a PatchOp message before anything is written. */
export function interpretPatch(body: Record<string, unknown>): PatchOutcome {
  const operations = ciGet(body, 'Operations');
  const outcome: PatchOutcome = {};
  if (operations === undefined || operations === null) return outcome;
  if (!Array.isArray(operations)) throw scimError(400, MALFORMED, 'invalidSyntax');
  for (const operation of operations) {
    if (!isObject(operation) || typeof ciGet(operation, 'op') !== 'string') throw scimError(400, MALFORMED, 'invalidSyntax');
  }
  for (const operation of operations as Record<string, unknown>[]) {
    const opText = ciGet(operation, 'op') as string;
    const op = opText.toLowerCase();
    if (!['add', 'replace', 'update', 'remove'].includes(op)) throw scimError(400, `Unsupported operation: ${opText}`, 'invalidSyntax');
    const rawPath = ciGet(operation, 'path');
    if (rawPath !== undefined && rawPath !== null && typeof rawPath !== 'string') throw scimError(400, 'Invalid path', 'invalidPath');
    const path = typeof rawPath === 'string' && rawPath !== '' ? rawPath : undefined;
    const value = ciGet(operation, 'value');
    if (op === 'remove') {
      if (path === undefined) throw scimError(400, 'Remove operation requires a path', 'noTarget');
      applyPath(outcome, 'remove', path, undefined);
    } else if (path !== undefined) {
      applyPath(outcome, 'set', path, value);
    } else {
      if (!isObject(value)) throw scimError(400, 'Operation value must be an object when path is omitted', 'invalidSyntax');
      for (const [key, v] of Object.entries(value)) if (key !== '') applyPath(outcome, 'set', key, v);
    }
  }
  return outcome;
}
