import { ApiError, paramError } from '../common/api-error';
import { boolParam, idParam, intParam, INVALID, isIsoDate, isPresent, stringParam } from '../common/coerce';
import { RawParams } from '../common/params.decorator';
import { VISIBILITY, VisibilityName } from '../namespaces/entities/namespace.entity';
import { isStorableText } from '../common/storable-text';

/**
 * Grape-style parameter reading for the admin routes: every problem is collected, then answered
 * as one `{"error":"a is missing, b is invalid"}` in the order the parameters are read.
 */
export class ParamReader {
  private readonly errors: string[] = [];

  constructor(private readonly params: RawParams) {}

  has(name: string): boolean {
    return isPresent(this.params[name]);
  }

  /** Names that are absent, in the order given, reported as `<p> is missing`. */
  requireAll(...names: string[]): this {
    for (const n of names) if (!this.has(n)) this.errors.push(`${n} is missing`);
    return this;
  }

  string(name: string): string | undefined {
    if (!this.has(name)) return undefined;
    const v = stringParam(this.params[name]);
    // text PostgreSQL cannot store (NUL, invalid UTF-8) is invalid, never a 500
    if (v === undefined || !isStorableText(v)) {
      this.errors.push(`${name} is invalid`);
      return undefined;
    }
    return v;
  }

  bool(name: string): boolean | undefined {
    const v = boolParam(this.params[name]);
    if (v === INVALID) {
      this.errors.push(`${name} is invalid`);
      return undefined;
    }
    return v;
  }

  int(name: string): number | undefined {
    const v = intParam(this.params[name]);
    if (v === INVALID) {
      this.errors.push(`${name} is invalid`);
      return undefined;
    }
    return v;
  }

  /** An id: a positive integer (number or digit string); anything else is `<p> is invalid`. */
  id(name: string): number | undefined {
    if (!this.has(name)) return undefined;
    const v = idParam(this.params[name]);
    if (v === null || v === undefined) {
      this.errors.push(`${name} is invalid`);
      return undefined;
    }
    return v;
  }

  /** One of the given values, else `<p> does not have a valid value`. */
  oneOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    if (!(values as readonly string[]).includes(v)) {
      this.errors.push(`${name} does not have a valid value`);
      return undefined;
    }
    return v as T;
  }

  /** Visibility name → level. */
  visibility(name = 'visibility'): number | undefined {
    const v = this.oneOf<VisibilityName>(name, Object.keys(VISIBILITY) as VisibilityName[]);
    return v === undefined ? undefined : VISIBILITY[v];
  }

  /** An integer restricted to a set (access levels): non-integers are invalid, others not a valid value. */
  intOneOf(name: string, values: readonly number[]): number | undefined {
    const v = this.int(name);
    if (v === undefined) return undefined;
    if (!values.includes(v)) {
      this.errors.push(`${name} does not have a valid value`);
      return undefined;
    }
    return v;
  }

  /**
   * A date `YYYY-MM-DD` (optionally followed by `T…`, whose date part is used). `null` or `""` → null (clears);
   * absent → undefined; anything else → `<p> is invalid`.
   */
  date(name: string): string | null | undefined {
    const raw = this.params[name];
    if (raw === undefined) return undefined;
    if (raw === null || raw === '') return null;
    const text = stringParam(raw)?.trim();
    const m = text ? /^(\d{4}-\d{2}-\d{2})(T.*)?$/.exec(text) : null;
    if (!m || !isIsoDate(m[1])) {
      this.errors.push(`${name} is invalid`);
      return undefined;
    }
    return m[1];
  }

  /** A timestamp or a date (midnight UTC). `null`/`""` → null; absent → undefined; unparsable → invalid. */
  timestamp(name: string): Date | null | undefined {
    const raw = this.params[name];
    if (raw === undefined) return undefined;
    if (raw === null || raw === '') return null;
    const text = stringParam(raw)?.trim();
    let d: Date | null = null;
    if (text && /^\d{4}-\d{2}-\d{2}$/.test(text)) d = isIsoDate(text) ? new Date(`${text}T00:00:00.000Z`) : null;
    else if (text && /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(text)) {
      const parsed = new Date(text.replace(' ', 'T'));
      d = Number.isNaN(parsed.getTime()) || !isIsoDate(text.slice(0, 10)) ? null : parsed;
    }
    if (!d) {
      this.errors.push(`${name} is invalid`);
      return undefined;
    }
    return d;
  }

  /** Model errors for values longer than their column (`is too long (maximum is N characters)`). */
  static tooLong(values: Record<string, string | null | undefined>, max = 255): Record<string, string[]> {
    const errors: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(values)) if (typeof v === 'string' && v.length > max) errors[k] = [`is too long (maximum is ${max} characters)`];
    return errors;
  }

  /** Adds a custom Grape-style error. */
  error(message: string): this {
    this.errors.push(message);
    return this;
  }

  /** Throws the collected errors, if any. */
  check(): void {
    if (this.errors.length) throw paramError(...this.errors);
  }

  failure(): ApiError | null {
    return this.errors.length ? paramError(...this.errors) : null;
  }
}

/**
 * `:id` path segment: the numeric id, null when the segment is not a decimal id (then a path lookup), or
 * `'none'` when it can match nothing (an id beyond the ranges, a NUL character, longer than any full path).
 */
export function numericId(segment: string): number | null | 'none' {
  if (!isStorableText(segment) || segment.length > 1024) return 'none';
  if (!/^\d+$/.test(segment)) return null;
  const id = idParam(segment);
  return typeof id === 'number' ? id : 'none';
}
