/// <reference path="./class-transformer-storage.d.ts" />
/**
 * How a DTO declares its parameters, Grape's way: `@Requires(Int32)` / `@Optional(Str)` give the type (and the
 * OpenAPI schema); class-validator decorators add Grape's validators (`@IsIn(values)` → "does not have a valid
 * value", `@NotBlank()` / `@ArrayNotEmpty()` → "is empty", `@Min`/`@Max`, `@Matches` → "is invalid"); class-transformer
 * gives nesting (`@Type(() => Dto)` on a `HashParam` or `HashArray` field, written below `@Requires`/`@Optional` so
 * the document references the DTO) and normalisation (`@Transform`, run on the
 * coerced value before the validators).
 */
import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { ValidateBy, ValidationOptions } from 'class-validator';
import type { ParamType, SchemaObject } from './types';

/**
 * What an explicit `null` means for a field: absent (default), an accepted null value (a blank value of a non-String
 * type too), an invalid value, or (`empty`, Grape's `allow_blank: false`) `name is empty`, as is whitespace-only text.
 */
export type NullRule = 'absent' | 'value' | 'invalid' | 'empty';

export interface ParamOptions<T = unknown> {
  /** Meaning of an explicit `null` (and, when `value`, of `""` for non-String types). Default: the class's `@ParamDefaults`, else `absent`. */
  null?: NullRule;
  /** Value given when the parameter is absent. */
  default?: T;
  /** Required when this holds for the parameters read so far (Grape's `given`). Only for `@Optional`. */
  requiredWhen?: (declared: Record<string, unknown>) => boolean;
  /** OpenAPI extras: description, example, enum, … */
  api?: ApiPropertyOptions;
  /** Read from this request key instead of the property name (Grape's `as:` the other way round). */
  from?: string;
}

export interface FieldDeclaration {
  readonly key: string;
  readonly type: ParamType;
  readonly required: boolean;
  readonly options: ParamOptions;
}

export interface ClassRule {
  readonly kind: 'mutually_exclusive' | 'at_least_one_of' | 'exactly_one_of' | 'all_or_none_of';
  readonly keys: readonly string[];
}

const FIELDS = Symbol('params:fields');
const RULES = Symbol('params:rules');
const DEFAULTS = Symbol('params:defaults');
const KEEPS_RAW = Symbol('params:keeps-raw');
const ALL_STORABLE = Symbol('params:all-storable');

type Declared = {
  [FIELDS]?: FieldDeclaration[];
  [RULES]?: ClassRule[];
  [DEFAULTS]?: Pick<ParamOptions, 'null'>;
  [KEEPS_RAW]?: boolean;
  [ALL_STORABLE]?: boolean;
};

function own<K extends typeof FIELDS | typeof RULES>(target: object, key: K): NonNullable<Declared[K]> {
  const holder = target as Declared;
  if (!Object.prototype.hasOwnProperty.call(holder, key)) Object.defineProperty(holder, key, { value: [], enumerable: false });
  return holder[key] as NonNullable<Declared[K]>;
}

/** The field's schema: its type's, or a reference to the DTO a `@Type(() => Dto)` below the decorator names. */
function schemaOf(type: ParamType, required: boolean, options: ParamOptions, target: object, key: string): ApiPropertyOptions {
  const nests = (type as { nests?: 'hash' | 'array' }).nests;
  const nested = nests ? defaultMetadataStorage.findTypeMetadata(target.constructor, key) : undefined;
  const base = nested
    ? ({ type: () => nested.typeFunction(), isArray: nests === 'array' } as ApiPropertyOptions)
    : (type.schema as ApiPropertyOptions);
  const nullable = options.null === 'value' ? { nullable: true } : {};
  const dflt = options.default !== undefined ? { default: options.default } : {};
  return { ...base, ...nullable, ...dflt, ...options.api, required } as ApiPropertyOptions;
}

function field(required: boolean) {
  return <T>(type: ParamType<T>, options: ParamOptions<T> = {}): PropertyDecorator =>
    (target, propertyKey) => {
      const key = String(propertyKey);
      own(target, FIELDS).push({ key, type, required, options: options as ParamOptions });
      ApiProperty(schemaOf(type, required, options as ParamOptions, target, key))(target, propertyKey);
    };
}

/** Grape's `requires :name, type: …`: absent → `name is missing`, uncoercible → `name is invalid`. */
export const Requires = field(true);

/** Grape's `optional :name, type: …`: absent is fine, uncoercible → `name is invalid`. */
export const Optional = field(false);

/** Defaults for every field of the class (and of the DTOs nested in it that declare none). */
export function ParamDefaults(defaults: Pick<ParamOptions, 'null'>): ClassDecorator {
  return (target) => {
    Object.defineProperty(target.prototype, DEFAULTS, { value: defaults, enumerable: false });
  };
}

/** Instances remember the hash they were read from, for `rawOf` (routes that store what was sent). Costs a little. */
export function KeepsRaw(): ClassDecorator {
  return (target) => {
    Object.defineProperty(target.prototype, KEEPS_RAW, { value: true, enumerable: false });
  };
}

/**
 * GitLab's malformed-string guard for a whole request: when any parameter, declared or not, holds text PostgreSQL
 * cannot store, the request answers 400 `{"message":"400 Bad request - <param> contains a NUL character or invalid
 * UTF-8"}` before any parameter is read (the git routes). Only on a class read at the top level.
 */
export function AllStorable(): ClassDecorator {
  return (target) => {
    Object.defineProperty(target.prototype, ALL_STORABLE, { value: true, enumerable: false });
  };
}

/** Grape's `mutually_exclusive`: `a, b are mutually exclusive` when more than one is given. */
export const MutuallyExclusive = (...keys: string[]): ClassDecorator => classRule('mutually_exclusive', keys);

/** Grape's `at_least_one_of`: `a, b are missing, at least one parameter must be provided` when none is given. */
export const AtLeastOneOf = (...keys: string[]): ClassDecorator => classRule('at_least_one_of', keys);

/** Grape's `exactly_one_of`: none → `… are missing, exactly one parameter must be provided`; several → mutually exclusive. */
export const ExactlyOneOf = (...keys: string[]): ClassDecorator => classRule('exactly_one_of', keys);

/** Grape's `all_or_none_of`: `a, b provide all or none of parameters` when some but not all are given. */
export const AllOrNoneOf = (...keys: string[]): ClassDecorator => classRule('all_or_none_of', keys);

function classRule(kind: ClassRule['kind'], keys: string[]): ClassDecorator {
  return (target) => {
    own(target.prototype, RULES).push({ kind, keys });
  };
}

/** Grape's `allow_blank: false` for text: a value of only whitespace → `name is empty`. */
export function NotBlank(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'notBlank', validator: { validate: (v: unknown) => typeof v !== 'string' || v.trim() !== '' } }, options);
}

/** The declarations of a DTO class and its parents, parents first, in declaration order (overrides in place). */
export function declarationsOf(cls: Function): {
  fields: FieldDeclaration[];
  rules: ClassRule[];
  defaults: Pick<ParamOptions, 'null'>;
  keepsRaw: boolean;
  allStorable: boolean;
} {
  const chain: Declared[] = [];
  for (
    let proto = cls.prototype as Declared | null;
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto) as Declared | null
  )
    chain.unshift(proto);
  const fields: FieldDeclaration[] = [];
  const rules: ClassRule[] = [];
  for (const proto of chain) {
    // a subclass re-declaring a parent's field replaces it in place (the parent's order stays)
    if (Object.prototype.hasOwnProperty.call(proto, FIELDS)) {
      for (const f of proto[FIELDS]!) {
        const at = fields.findIndex((g) => g.key === f.key);
        if (at >= 0) fields[at] = f;
        else fields.push(f);
      }
    }
    if (Object.prototype.hasOwnProperty.call(proto, RULES)) rules.push(...proto[RULES]!);
  }
  const proto = cls.prototype as Declared;
  return { fields, rules, defaults: proto[DEFAULTS] ?? {}, keepsRaw: proto[KEEPS_RAW] === true, allStorable: proto[ALL_STORABLE] === true };
}

/** Whether a class declares parameters (the pipe leaves other parameter types raw). */
export function declaresParams(cls: unknown): cls is Function {
  return typeof cls === 'function' && (cls.prototype as Declared | undefined)?.[FIELDS] !== undefined;
}

/** The schema of a DTO written inline (for a DTO inside `MapOf`/`OneOfTypes`, which cannot reference it). */
export function inlineSchema(cls: Function): SchemaObject {
  const { fields } = declarationsOf(cls);
  const name = (f: FieldDeclaration) => f.options.from ?? f.key;
  const required = fields.filter((f) => f.required).map(name);
  return {
    type: 'object',
    properties: Object.fromEntries(fields.map((f) => [name(f), f.type.schema])),
    ...(required.length ? { required } : {}),
  };
}
