/**
 * Date and timestamp parameter types shared by the admin routes (a module with its own date rules, as billing,
 * declares its own types). Both count `""` as an explicit null, so a field declared `{ null: 'value' }` clears.
 */
import { isIsoDate } from '../coerce';
import { INVALID, isEmptyString, ParamType } from './types';

const DATE = /^(\d{4}-\d{2}-\d{2})(T.*)?$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** A calendar date `YYYY-MM-DD`, optionally followed by `T…` (the date part is kept); read as `YYYY-MM-DD`. */
export const IsoDate: ParamType<string> = {
  name: 'Date',
  schema: { type: 'string', format: 'date' },
  blank: isEmptyString,
  coerce(raw) {
    const m = typeof raw === 'string' ? DATE.exec(raw.trim()) : null;
    return m && isIsoDate(m[1]) ? m[1] : INVALID;
  },
};

/** A timestamp `YYYY-MM-DD[T| ]HH:MM[:SS[.f]][Z|±HH[:]MM]`, or a calendar date read as midnight UTC. */
export const Timestamp: ParamType<Date> = {
  name: 'DateTime',
  schema: { type: 'string', format: 'date-time' },
  blank: isEmptyString,
  coerce(raw) {
    if (typeof raw !== 'string') return INVALID;
    const text = raw.trim();
    if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return isIsoDate(text) ? new Date(`${text}T00:00:00.000Z`) : INVALID;
    if (!DATE_TIME.test(text) || !isIsoDate(text.slice(0, 10))) return INVALID;
    const parsed = new Date(text.replace(' ', 'T'));
    return Number.isNaN(parsed.getTime()) ? INVALID : parsed;
  },
};
