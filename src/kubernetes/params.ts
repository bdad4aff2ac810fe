/**
 * Grape-style typed parameter checks for the kas routes: each check records
 * `<path> is missing` / `<path> is invalid` / ... in a shared list and returns the coerced value.
 */
import { paramError } from '../common/api-error';
import { intParam, INVALID } from '../common/coerce';
import { isStorableJson, isStorableText } from '../common/storable-text';

export type RawBody = Record<string, unknown>;

export type Hash = Record<string, unknown>;

export const isHash = (value: unknown): value is Hash => typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);

/** `null` counts as absent. */
export const absent = (value: unknown): boolean => value === undefined || value === null;

/** Text and JSON PostgreSQL can store: the shared input guard. */
export const storableText = isStorableText;
export const storableJson = isStorableJson;

export class ParamErrors {
  readonly list: string[] = [];

  add(message: string): void {
    this.list.push(message);
  }

  get any(): boolean {
    return this.list.length > 0;
  }

  /** 400 `{"error":"a, b"}` when anything was recorded. */
  throwIfAny(): void {
    if (this.list.length) throw paramError(...this.list);
  }

  missing(path: string): undefined {
    this.add(`${path} is missing`);
    return undefined;
  }

  invalid(path: string): undefined {
    this.add(`${path} is invalid`);
    return undefined;
  }

  /** Integer: JSON integer or a string of an optional `-` and digits. */
  integer(value: unknown, path: string, required = false): number | undefined {
    if (absent(value)) return required ? this.missing(path) : undefined;
    const n = intParam(value);
    if (n === INVALID || n === undefined) return this.invalid(path);
    return n;
  }

  /**
   * An Integer that names a row: like `integer`, but a well-formed value beyond the safe range is valid and
   * becomes 0, which matches nothing (kas sends int64 ids).
   */
  id(value: unknown, path: string, required = false): number | undefined {
    if (typeof value === 'string' && /^-?\d+$/.test(value.trim()) && !Number.isSafeInteger(Number(value.trim()))) return 0;
    if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) return 0;
    return this.integer(value, path, required);
  }

  /** String: JSON string, a number becomes its decimal text; anything else is invalid. */
  string(value: unknown, path: string, required = false): string | undefined {
    if (absent(value)) return required ? this.missing(path) : undefined;
    if (typeof value === 'string') return storableText(value) ? value : this.invalid(path);
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    return this.invalid(path);
  }

  hash(value: unknown, path: string, required = false): Hash | undefined {
    if (absent(value)) return required ? this.missing(path) : undefined;
    if (isHash(value)) return value;
    return this.invalid(path);
  }

  array(value: unknown, path: string, required = false): unknown[] | undefined {
    if (absent(value)) return required ? this.missing(path) : undefined;
    if (Array.isArray(value)) return value;
    return this.invalid(path);
  }

  /** A String restricted to `values` after `normalize`. */
  oneOf(value: unknown, path: string, values: readonly string[], required = false, normalize: (s: string) => string = (s) => s): string | undefined {
    const text = this.string(value, path, required);
    if (text === undefined) return undefined;
    const normalized = normalize(text);
    if (!values.includes(normalized)) {
      this.add(`${path} does not have a valid value`);
      return undefined;
    }
    return normalized;
  }
}
