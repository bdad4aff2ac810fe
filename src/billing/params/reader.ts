import { paramError } from '../../common/api-error';
import { RawParams } from '../../common/params.decorator';
import { parseDate, parseDateTime } from './dates';
import { isStorableText } from '../../common/storable-text';

/** int4 columns: values beyond this range are rejected as invalid parameters, never sent to the database. */
const INT4_MAX = 2147483647;
const INT4_MIN = -2147483648;

export interface FieldOptions {
  required?: boolean;
  /** Range of the accepted integers (default: int4). */
  min?: number;
  max?: number;
}

/**
 * Grape-style reading of the parameters of one route: each reader call returns `undefined`
 * when the parameter is absent, `null` for an explicit null (or `""` where that counts as null), or the
 * coerced value; type errors and missing required parameters are collected in declaration order and thrown
 * together by `check()` as `{"error":"a is missing, b is invalid"}`.
 */
export class ParamReader {
  readonly errors: string[] = [];

  constructor(
    readonly params: RawParams,
    private readonly prefix = '',
    private readonly sink: string[] | null = null,
  ) {}

  /** The displayed name of a parameter: `key`, or `prefix[key]` inside a Hash. */
  label(key: string): string {
    return this.prefix ? `${this.prefix}[${key}]` : key;
  }

  has(key: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.params, key) && this.params[key] !== undefined;
  }

  fail(message: string): void {
    (this.sink ?? this.errors).push(message);
  }

  private absent(key: string, opts: FieldOptions): boolean {
    if (this.has(key)) return false;
    if (opts.required) this.fail(`${this.label(key)} is missing`);
    return true;
  }

  int(key: string, opts: FieldOptions = {}): number | null | undefined {
    if (this.absent(key, opts)) return undefined;
    const raw = this.params[key];
    if (raw === null || raw === '') return null;
    let n: number | null = null;
    if (typeof raw === 'number' && Number.isSafeInteger(raw)) n = raw;
    else if (typeof raw === 'string' && /^-?\d+$/.test(raw.trim())) n = Number(raw.trim());
    const min = opts.min ?? INT4_MIN;
    const max = opts.max ?? INT4_MAX;
    if (n === null || !Number.isSafeInteger(n) || n < min || n > max) {
      this.fail(`${this.label(key)} is invalid`);
      return undefined;
    }
    return n;
  }

  string(key: string, opts: FieldOptions = {}): string | null | undefined {
    if (this.absent(key, opts)) return undefined;
    const raw = this.params[key];
    if (raw === null) return null;
    // text PostgreSQL cannot store (NUL, invalid UTF-8) is invalid
    if (typeof raw === 'string' && isStorableText(raw)) return raw;
    if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
    this.fail(`${this.label(key)} is invalid`);
    return undefined;
  }

  bool(key: string, opts: FieldOptions = {}): boolean | null | undefined {
    if (this.absent(key, opts)) return undefined;
    const raw = this.params[key];
    if (raw === null || raw === '') return null;
    if (raw === true || raw === 1) return true;
    if (raw === false || raw === 0) return false;
    if (typeof raw === 'string') {
      const text = raw.trim().toLowerCase();
      if (text === 'true' || text === '1') return true;
      if (text === 'false' || text === '0') return false;
    }
    this.fail(`${this.label(key)} is invalid`);
    return undefined;
  }

  date(key: string, opts: FieldOptions = {}): string | null | undefined {
    if (this.absent(key, opts)) return undefined;
    const raw = this.params[key];
    if (raw === null) return null;
    const text = typeof raw === 'string' ? raw : typeof raw === 'number' && Number.isSafeInteger(raw) ? String(raw) : undefined;
    if (text !== undefined && text.trim() === '') return null;
    const parsed = text === undefined ? null : parseDate(text);
    if (parsed === null) {
      this.fail(`${this.label(key)} is invalid`);
      return undefined;
    }
    return parsed;
  }

  dateTime(key: string, opts: FieldOptions = {}): Date | null | undefined {
    if (this.absent(key, opts)) return undefined;
    const raw = this.params[key];
    if (raw === null) return null;
    if (typeof raw === 'string' && raw.trim() === '') return null;
    const parsed = typeof raw === 'string' ? parseDateTime(raw) : null;
    if (parsed === null) {
      this.fail(`${this.label(key)} is invalid`);
      return undefined;
    }
    return parsed;
  }

  /** A Hash parameter: a reader over its fields (errors go to this reader), null, or undefined. */
  hash(key: string, opts: FieldOptions = {}): ParamReader | null | undefined {
    if (this.absent(key, opts)) return undefined;
    const raw = this.params[key];
    if (raw === null) return null;
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      this.fail(`${this.label(key)} is invalid`);
      return undefined;
    }
    return new ParamReader(raw as RawParams, this.label(key), this.sink ?? this.errors);
  }

  /**
   * An Array of Hash parameter: one reader per element (named `key[i]`, or `key` when `indexed` is false),
   * null, or undefined. A non-array, or an element that is not an object, makes the whole parameter invalid.
   * Form bodies may give `key[0][a]` as an object with numeric keys; it is read as an array.
   */
  hashes(key: string, opts: FieldOptions & { indexed?: boolean } = {}): ParamReader[] | null | undefined {
    if (this.absent(key, opts)) return undefined;
    let raw = this.params[key];
    if (raw === null) return null;
    if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
      const keys = Object.keys(raw);
      if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
        raw = keys.sort((a, b) => Number(a) - Number(b)).map((k) => (raw as RawParams)[k]);
      }
    }
    if (!Array.isArray(raw) || raw.some((e) => !e || typeof e !== 'object' || Array.isArray(e))) {
      this.fail(`${this.label(key)} is invalid`);
      return undefined;
    }
    const indexed = opts.indexed ?? true;
    return raw.map(
      (e, i) => new ParamReader(e as RawParams, indexed ? `${this.label(key)}[${i}]` : this.label(key), this.sink ?? this.errors),
    );
  }

  /** Throws the collected parameter errors, if any. */
  check(): void {
    const errors = this.sink ?? this.errors;
    if (errors.length) throw paramError(...errors);
  }
}
