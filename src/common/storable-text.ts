/**
 * The one input guard for text PostgreSQL cannot store: a NUL character (text and jsonb refuse U+0000) or a lone
 * UTF-16 surrogate (what a `\ud800`-style JSON escape or a broken UTF-8 sequence becomes; it has no UTF-8 form).
 * Every route that must keep such input away from a query uses these helpers; each decides what the answer is
 * (a 400, "is invalid", or "names nothing").
 */
import { ApiError } from './api-error';

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Nesting beyond this counts as unstorable (no client nests that deep; it bounds the walk). */
const MAX_DEPTH = 200;

/** Text PostgreSQL can store in a text or jsonb column. */
export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/** True for a string PostgreSQL cannot store; false for anything else (numbers, objects, absent values). */
export function isUnstorableString(value: unknown): boolean {
  return typeof value === 'string' && UNSTORABLE.test(value);
}

/** A JSON value whose every string and key PostgreSQL can store (text and jsonb columns). */
export function isStorableJson(value: unknown, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  if (typeof value === 'string') return isStorableText(value);
  if (Array.isArray(value)) return value.every((v) => isStorableJson(v, depth + 1));
  if (value && typeof value === 'object') {
    return Object.entries(value).every(([k, v]) => isStorableText(k) && isStorableJson(v, depth + 1));
  }
  return true;
}

/**
 * The name of the first parameter holding text PostgreSQL cannot store (in its value, a nested value or a
 * nested key), or null when every parameter is storable.
 */
export function firstUnstorableParam(params: Record<string, unknown>): string | null {
  for (const [name, value] of Object.entries(params)) {
    if (!isStorableText(name) || !isStorableJson(value)) return isStorableText(name) ? name : 'parameter name';
  }
  return null;
}

/**
 * Rejects a request whose parameters hold text PostgreSQL cannot store, as GitLab rejects any request with a
 * malformed string: 400 `{"message":"400 Bad request - <param> contains a NUL character or invalid UTF-8"}`.
 */
export function assertStorableParams(params: Record<string, unknown>): void {
  const name = firstUnstorableParam(params);
  if (name !== null) throw new ApiError(400, { message: `400 Bad request - ${name} contains a NUL character or invalid UTF-8` });
}
