/**
 * Grape's parameter types: each turns a raw JSON, form or query value into the typed value, or answers INVALID
 * (reported as `<name> is invalid`). A type also carries its OpenAPI schema, so the DTO documents what it checks.
 */
import { INVALID, intParam } from '../coerce';
import { isStorableJson, isStorableText } from '../storable-text';

export { INVALID };
export type Invalid = typeof INVALID;
export type Hash = Record<string, unknown>;
/** The OpenAPI schema of a parameter type. */
export interface SchemaObject {
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  items?: SchemaObject;
  oneOf?: SchemaObject[];
  properties?: Record<string, SchemaObject>;
  additionalProperties?: boolean | SchemaObject;
  required?: string[];
}

/** Where a value sits: its displayed name (`a[b][0]`) and the request's list of problems, in Grape's order. */
export interface Cursor {
  readonly label: string;
  readonly errors: string[];
}

export interface ParamType<T = unknown> {
  readonly name: string;
  /** The OpenAPI schema of the parameter (description and example come from the field's options). */
  readonly schema: SchemaObject;
  /** A blank value counts as an explicit null for fields accepting null (Grape coerces `""` to nil for non-Strings). */
  readonly blank?: (raw: unknown) => boolean;
  coerce(raw: unknown, at: Cursor): T | Invalid;
}

export const isHash = (value: unknown): value is Hash =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);

const INT_SCHEMA: SchemaObject = { type: 'integer' };

/** `""`: what a form or query sends for an empty field. */
export const isEmptyString = (raw: unknown): boolean => raw === '';

/** Only whitespace: Grape's `blank?` for text. */
export const isBlankString = (raw: unknown): boolean => typeof raw === 'string' && raw.trim() === '';

/** Integer: a JSON integer or a string of an optional `-` and digits (trimmed), within `min`..`max`. */
export function Integer(range: { min?: number; max?: number } = {}): ParamType<number> {
  const min = range.min ?? Number.MIN_SAFE_INTEGER;
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  return {
    name: 'Integer',
    schema: { ...INT_SCHEMA, ...(range.min !== undefined ? { minimum: min } : {}), ...(range.max !== undefined ? { maximum: max } : {}) },
    blank: isEmptyString,
    coerce(raw) {
      const n = intParam(raw);
      return n === undefined || n === INVALID || n < min || n > max ? INVALID : n;
    },
  };
}

/** An int4 column's Integer. */
export const Int32 = Integer({ min: -2147483648, max: 2147483647 });

/**
 * An Integer naming a row, as Go clients send int64 ids (numbers or strings): a well-formed value beyond the safe
 * range is valid and becomes 0, which names nothing.
 */
export const Int64Id: ParamType<number> = {
  name: 'Integer',
  schema: {
    oneOf: [{ type: 'integer', format: 'int64' }, { type: 'string' }],
  },
  blank: isEmptyString,
  coerce(raw) {
    if (typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) && !Number.isSafeInteger(Number(raw.trim()))) return 0;
    if (typeof raw === 'number' && Number.isInteger(raw) && !Number.isSafeInteger(raw)) return 0;
    const n = intParam(raw);
    return n === undefined || n === INVALID ? INVALID : n;
  },
};

/** String: text PostgreSQL can store; a finite number becomes its decimal text; anything else is invalid. */
export const Str: ParamType<string> = {
  name: 'String',
  schema: { type: 'string' },
  coerce(raw) {
    if (typeof raw === 'string') return isStorableText(raw) ? raw : INVALID;
    if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
    return INVALID;
  },
};

/** Boolean: true/false, 1/0 and their strings (any case, trimmed). */
export const Bool: ParamType<boolean> = {
  name: 'Boolean',
  schema: { type: 'boolean' },
  blank: isEmptyString,
  coerce(raw) {
    if (raw === true || raw === 1) return true;
    if (raw === false || raw === 0) return false;
    if (typeof raw === 'string') {
      const text = raw.trim().toLowerCase();
      if (text === 'true' || text === '1') return true;
      if (text === 'false' || text === '0') return false;
    }
    return INVALID;
  },
};

/** A free-form Hash, kept as sent (own keys only); `storable` also requires every string and key to be storable. */
export function FreeHash(opts: { storable?: boolean } = {}): ParamType<Hash> {
  return {
    name: 'Hash',
    schema: { type: 'object', additionalProperties: true },
    coerce: (raw) => (isHash(raw) && (!opts.storable || isStorableJson(raw)) ? raw : INVALID),
  };
}

/** A free-form Array, kept as sent. */
export const FreeArray: ParamType<unknown[]> = {
  name: 'Array',
  schema: { type: 'array', items: {} },
  coerce: (raw) => (Array.isArray(raw) ? raw : INVALID),
};

/** `Array[type]`: every element (null included) must coerce, else the whole parameter is invalid (elements are not named). */
export function ArrayOf<T>(element: ParamType<T>): ParamType<T[]> {
  return {
    name: `Array[${element.name}]`,
    schema: { type: 'array', items: element.schema },
    coerce(raw, at) {
      if (!Array.isArray(raw)) return INVALID;
      const out: T[] = [];
      for (const item of raw) {
        if (item === null || item === undefined) return INVALID;
        const v = element.coerce(item, at);
        if (v === INVALID) return INVALID;
        out.push(v);
      }
      return out;
    },
  };
}

/**
 * A Hash of named values of one type, each reported as `name[key]`: the listed `keys` only (others are ignored),
 * or every key. Null values count as absent.
 */
export function MapOf<T>(value: ParamType<T>, opts: { keys?: readonly string[] } = {}): ParamType<Record<string, T>> {
  return {
    name: 'Hash',
    schema: {
      type: 'object',
      additionalProperties: value.schema,
      ...(opts.keys ? { properties: Object.fromEntries(opts.keys.map((k) => [k, value.schema])) } : {}),
    },
    coerce(raw, at) {
      if (!isHash(raw)) return INVALID;
      const out: Record<string, T> = {};
      for (const key of opts.keys ?? Object.keys(raw)) {
        const item = raw[key];
        if (item === undefined || item === null) continue;
        const label = `${at.label}[${key}]`;
        const v = value.coerce(item, { label, errors: at.errors });
        if (v === INVALID) at.errors.push(`${label} is invalid`);
        else out[key] = v;
      }
      return out;
    },
  };
}

/** Accepts the first of several types that takes the value (Grape's `types: [A, B]`). */
export function OneOfTypes<T>(...types: ParamType<T>[]): ParamType<T> {
  return {
    name: types.map((t) => t.name).join(' or '),
    schema: { oneOf: types.map((t) => t.schema) },
    coerce(raw, at) {
      for (const type of types) {
        const scratch: string[] = [];
        const v = type.coerce(raw, { label: at.label, errors: scratch });
        if (v !== INVALID) {
          at.errors.push(...scratch);
          return v;
        }
      }
      return INVALID;
    },
  };
}

/**
 * A Hash parameter. With class-transformer's `@Type(() => Dto)` on the field its entries are read by that DTO
 * (errors named `name[entry]`); without it the hash is kept as sent (own keys only).
 */
export const HashParam: ParamType<Hash> & { readonly nests: 'hash' } = { ...FreeHash(), nests: 'hash' };

/** A HashParam whose every string and key PostgreSQL can store (else `name is invalid`, entries unread). */
export const StorableHashParam: ParamType<Hash> & { readonly nests: 'hash' } = { ...FreeHash({ storable: true }), nests: 'hash' };

export interface HashArrayOptions {
  /** Elements are named `name[i]` (default) or, like Grape's flattened reports, just `name`. */
  indexed?: boolean;
  /** An element that is not a Hash makes the whole parameter invalid (`whole`) or only that element (`each`, default). */
  badElement?: 'whole' | 'each';
  /** An element holding text PostgreSQL cannot store is invalid (as a non-Hash element is). */
  storable?: boolean;
  /** Also accept a form body's `name[0][a]`, which arrives as an object with numeric keys (read in index order). */
  formIndexed?: boolean;
}

/** An Array of Hash, each element read by the DTO given with `@Type(() => Dto)` (named `name[i]`). */
export function HashArray(
  opts: HashArrayOptions = {},
): ParamType<Hash[]> & { readonly nests: 'array'; readonly options: HashArrayOptions } {
  return {
    name: 'Array[Hash]',
    schema: { type: 'array', items: { type: 'object', additionalProperties: true } },
    nests: 'array',
    options: opts,
    coerce(raw) {
      const list = opts.formIndexed ? formIndexedArray(raw) : raw;
      if (!Array.isArray(list)) return INVALID;
      if ((opts.badElement ?? 'each') === 'whole' && list.some((e) => !isHash(e))) return INVALID;
      return list as Hash[];
    },
  };
}

function formIndexedArray(raw: unknown): unknown {
  if (!isHash(raw)) return raw;
  const keys = Object.keys(raw);
  if (keys.length === 0 || !keys.every((k) => /^\d+$/.test(k))) return raw;
  return keys.sort((a, b) => Number(a) - Number(b)).map((k) => raw[k]);
}
