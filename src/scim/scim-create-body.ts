import { ciGet } from './scim-patch';
import { invalidValue } from './scim-exceptions';

/** The values of a create request once its body has been read and validated. */
export interface CreateInput {
  externUid: string;
  userName: string;
  email: string;
  displayName: string;
  givenName: string | null;
  familyName: string | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
const trimmedString = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
const EMAIL_FORMAT = /^[^@\s]+@[^@\s]+$/;

/**
 * Reads and validates a POST body, in this order: the missing attributes (externalId, falling back to id, userName
 * and emails, all named at once), their types and lengths, then the chosen email (primary, else work, else the
 * first), then the name.
 */
export function readCreateBody(body: Record<string, unknown>): CreateInput {
  let externalId = ciGet(body, 'externalId');
  if (externalId === undefined || externalId === null) externalId = ciGet(body, 'id');
  const userName = ciGet(body, 'userName');
  const emails = ciGet(body, 'emails');
  const missing: string[] = [];
  if (blank(externalId)) missing.push('externalId');
  if (blank(userName)) missing.push('userName');
  if (emails === undefined || emails === null || (Array.isArray(emails) && emails.length === 0)) missing.push('emails');
  if (missing.length) throw invalidValue(`Missing required attributes: ${missing.join(', ')}`);
  if (typeof externalId !== 'string' || externalId.length > 255) throw invalidValue('Invalid value for externalId');
  if (typeof userName !== 'string' || userName.length > 255) throw invalidValue('Invalid value for userName');
  if (!Array.isArray(emails) || !emails.every(isObject)) throw invalidValue('Invalid value for emails');
  const email = chosenEmail(emails as Record<string, unknown>[]);
  const name = readName(body, userName);
  return { externUid: externalId, userName, email, ...name };
}

/** The primary email, else the work one, else the first; trimmed, present and shaped like an address. */
function chosenEmail(entries: Record<string, unknown>[]): string {
  const primary = (e: Record<string, unknown>) => {
    const p = ciGet(e, 'primary');
    return p === true || (typeof p === 'string' && p.toLowerCase() === 'true');
  };
  const work = (e: Record<string, unknown>) => {
    const t = ciGet(e, 'type');
    return typeof t === 'string' && t.toLowerCase() === 'work';
  };
  const chosen = entries.find(primary) ?? entries.find(work) ?? entries[0];
  const rawEmail = ciGet(chosen, 'value');
  if (typeof rawEmail !== 'string' || rawEmail.trim() === '') throw invalidValue("Email can't be blank");
  const email = rawEmail.trim();
  if (email.length > 255 || !EMAIL_FORMAT.test(email)) throw invalidValue('Email is invalid');
  return email;
}

/**
 * The display name: `name` as a string, else `name.formatted`, else given and family names joined, else
 * `displayName`, else the userName; each part at most 255 characters.
 */
function readName(body: Record<string, unknown>, userName: string): Pick<CreateInput, 'displayName' | 'givenName' | 'familyName'> {
  const rawName = ciGet(body, 'name');
  let formatted: string | null = null;
  let givenName: string | null = null;
  let familyName: string | null = null;
  if (typeof rawName === 'string') formatted = trimmedString(rawName);
  else if (isObject(rawName)) {
    formatted = trimmedString(ciGet(rawName, 'formatted'));
    givenName = trimmedString(ciGet(rawName, 'givenName'));
    familyName = trimmedString(ciGet(rawName, 'familyName'));
  }
  formatted ??= trimmedString(ciGet(body, 'name.formatted'));
  const joined = [givenName, familyName].filter((p) => p !== null).join(' ');
  const displayName = formatted ?? (joined || null) ?? trimmedString(ciGet(body, 'displayName')) ?? userName.trim();
  if ((givenName?.length ?? 0) > 255 || (familyName?.length ?? 0) > 255 || displayName.length > 255)
    throw invalidValue('Invalid value for name');
  return { displayName, givenName, familyName };
}
