/**
 * Coercion of loosely typed parameters. The Go clients send ids as numbers or
 * strings, booleans as strings, arrays as single values; none of these may turn into NaN or reach a query
 * in a form that can fail.
 */

const MAX_BIGINT = 9223372036854775807n;

/** A parameter counts as present when it is neither undefined nor null (an empty string is present). */
export function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/**
 * An id field: `undefined` when absent (or null), else the id to look up, or `null` for a present value that
 * can match nothing (0, negative, fraction, text, beyond the ranges, boolean, object, array).
 */
export function idParam(value: unknown): number | null | undefined {
  if (!isPresent(value)) return undefined;
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 1 ? value : null;
  }
  if (typeof value === 'string') {
    const text = value.trim();
    if (!/^\d+$/.test(text)) return null;
    const big = BigInt(text);
    if (big < 1n || big > MAX_BIGINT) return null;
    // ids beyond 2^53 exist in no table of the product: present, but matching nothing
    return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : null;
  }
  return null;
}

/** A string field: numbers and booleans become text; objects and arrays count as absent. */
export function stringParam(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return undefined;
}

/** An array field: arrays keep their non-null elements as strings; a single value becomes a one-element array. */
export function arrayParam(value: unknown): string[] | undefined {
  if (!isPresent(value)) return undefined;
  if (Array.isArray(value)) {
    return value.filter((v) => v !== null && v !== undefined).map((v) => (typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v)));
  }
  const single = stringParam(value);
  return single === undefined ? undefined : [single];
}

export const INVALID = Symbol('invalid');

/** Boolean: true/false, "true"/"false", 1/0, "1"/"0" (any case, trimmed). */
export function boolParam(value: unknown): boolean | undefined | typeof INVALID {
  if (!isPresent(value)) return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (text === 'true' || text === '1') return true;
    if (text === 'false' || text === '0') return false;
  }
  return INVALID;
}

/** Integer: a JSON integer or a string matching `^-?\d+$` after trimming (safe range only). */
export function intParam(value: unknown): number | undefined | typeof INVALID {
  if (!isPresent(value)) return undefined;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : INVALID;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) {
    const n = Number(value.trim());
    return Number.isSafeInteger(n) ? n : INVALID;
  }
  return INVALID;
}

/** `YYYY-MM-DD` that is a real calendar date. */
export function isIsoDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

/** Today's date in UTC as `YYYY-MM-DD`. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** ISO-8601 UTC with milliseconds and `Z`, or null. */
export function isoTimestamp(value: Date | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
