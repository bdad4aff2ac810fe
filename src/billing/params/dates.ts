/**
 * The date forms billing routes accept. GitLab parses with Ruby's `Date.parse`; the product
 * accepts this fixed, documented set instead, and rejects everything else and impossible calendar dates.
 */

import { INVALID, isBlankString, ParamType } from '../../common/params';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** Month number (1–12) of an English month name or its three-letter abbreviation, any case. */
function monthNumber(name: string): number | null {
  const n = name.toLowerCase();
  const i = MONTHS.findIndex((m) => m === n || m.slice(0, 3) === n);
  return i < 0 ? null : i + 1;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `YYYY-MM-DD` when year/month/day form a real calendar date (years 1–9999), else null. */
export function calendarDate(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return null;
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return null;
  const d = new Date(Date.UTC(2000, month - 1, day));
  d.setUTCFullYear(year);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?`;
const ZONE = String.raw`(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)`;

function validTime(h: string, mi: string, s?: string): boolean {
  return +h <= 23 && +mi <= 59 && (s === undefined || +s <= 59);
}

/**
 * Parses a Date parameter. Returns `YYYY-MM-DD`, or null for a text that is none of the accepted forms or an
 * impossible date. The caller treats `""` as null before calling (it is not an error).
 */
export function parseDate(input: string): string | null {
  const text = input.trim();
  let m: RegExpExecArray | null;
  // YYYY-MM-DD, YYYY/MM/DD
  if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text)) || (m = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(text))) {
    return calendarDate(+m[1], +m[2], +m[3]);
  }
  // YYYYMMDD
  if ((m = /^(\d{4})(\d{2})(\d{2})$/.exec(text))) return calendarDate(+m[1], +m[2], +m[3]);
  // ISO-8601 date-time (T separator) or "YYYY-MM-DD HH:MM[:SS[.fff]] [zone]": the written date part is used
  if ((m = new RegExp(`^(\\d{4})-(\\d{2})-(\\d{2})(?:T| +)${TIME} *(${ZONE})?$`, 'i').exec(text))) {
    if (!validTime(m[4], m[5], m[6])) return null;
    return calendarDate(+m[1], +m[2], +m[3]);
  }
  // D Mon YYYY, D Month YYYY, D-Mon-YYYY
  if ((m = /^(\d{1,2})(?: +|-)([A-Za-z]+)(?: +|-)(\d{4})$/.exec(text))) {
    const month = monthNumber(m[2]);
    return month ? calendarDate(+m[3], month, +m[1]) : null;
  }
  // Mon D YYYY, Month D, YYYY
  if ((m = /^([A-Za-z]+) +(\d{1,2}),? +(\d{4})$/.exec(text))) {
    const month = monthNumber(m[1]);
    return month ? calendarDate(+m[3], month, +m[2]) : null;
  }
  // DD/MM/YYYY, DD.MM.YYYY (day first)
  if ((m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text)) || (m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text))) {
    return calendarDate(+m[3], +m[2], +m[1]);
  }
  return null;
}

/**
 * Parses the DateTime parameter `credit_card_validated_at`: ISO-8601 / RFC 3339, or
 * `YYYY-MM-DD HH:MM:SS[.fff]` with an optional zone `UTC`, `Z`, `±HH:MM`, `±HHMM` (none = UTC); a bare date is
 * midnight UTC. Returns null for anything else.
 */
export function parseDateTime(input: string): Date | null {
  const text = input.trim();
  const bare = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (bare) {
    const date = calendarDate(+bare[1], +bare[2], +bare[3]);
    return date ? new Date(`${date}T00:00:00.000Z`) : null;
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt]| +)(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)? *(Z|z|UTC|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (!m) return null;
  const date = calendarDate(+m[1], +m[2], +m[3]);
  if (!date || !validTime(m[4], m[5], m[6])) return null;
  const ms = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone && /^[+-]/.test(zone)) {
    const digits = zone.replace(':', '');
    const hours = +digits.slice(1, 3);
    const minutes = +digits.slice(3, 5);
    if (hours > 23 || minutes > 59) return null;
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  const local = new Date(`${date}T${pad(+m[4])}:${m[5]}:${m[6] ?? '00'}.${pad(Math.floor(ms), 3)}Z`).getTime();
  const result = new Date(local - offsetMinutes * 60_000);
  return Number.isNaN(result.getTime()) ? null : result;
}

/** The Date parameter type: `YYYY-MM-DD` from the forms above (a whole number is read as its digits); blank is null. */
export const DateParam: ParamType<string> = {
  name: 'Date',
  schema: { type: 'string' },
  blank: isBlankString,
  coerce(raw) {
    const text = typeof raw === 'string' ? raw : typeof raw === 'number' && Number.isSafeInteger(raw) ? String(raw) : undefined;
    return (text === undefined ? null : parseDate(text)) ?? INVALID;
  },
};

/** The DateTime parameter type (text only, see `parseDateTime`); blank is null. */
export const DateTimeParam: ParamType<Date> = {
  name: 'DateTime',
  schema: { type: 'string' },
  blank: isBlankString,
  coerce: (raw) => (typeof raw === 'string' ? parseDateTime(raw) : null) ?? INVALID,
};
