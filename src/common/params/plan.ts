/// <reference path="./class-transformer-storage.d.ts" />
/**
 * A DTO class compiled once into a list of field readers (its declarations, class-validator constraints and
 * class-transformer metadata looked up at compile time), then run on every request without reflection.
 */
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { TransformationType } from 'class-transformer';
import { getMetadataStorage, ValidationArguments, ValidationTypes } from 'class-validator';
import { paramError } from '../api-error';
import { ClassRule, declarationsOf, inlineSchema, NullRule, ParamOptions } from './decorators';
import { assertStorableParams, isStorableJson } from '../storable-text';
import { Hash, HashArray, HashArrayOptions, HashParam, INVALID, isBlankString, isHash, ParamType } from './types';

type Check = { test: (value: unknown, declared: Hash) => boolean; message: string };
type Transform = (value: unknown, declared: Hash) => unknown;

interface FieldPlan {
  readonly key: string;
  readonly from: string;
  readonly required: boolean;
  readonly nulls: NullRule;
  readonly blank: (raw: unknown) => boolean;
  readonly options: ParamOptions;
  readonly coerce: ParamType['coerce'];
  readonly transforms: Transform[];
  readonly checks: Check[];
}

interface Plan {
  readonly cls: Function;
  /** Makes an instance of the DTO class without running its constructor (no field initialisers). */
  readonly make: new () => Hash;
  readonly keepsRaw: boolean;
  readonly allStorable: boolean;
  readonly fields: FieldPlan[];
  readonly rules: ClassRule[];
}

const PLANS = new WeakMap<Function, Plan>();
const RAW = new WeakMap<object, Hash>();

/** Grape's words for class-validator's constraints (any other constraint reads `is invalid`). */
const MESSAGES: Record<string, string> = {
  isIn: 'does not have a valid value',
  isEnum: 'does not have a valid value',
  min: 'does not have a valid value',
  max: 'does not have a valid value',
  notBlank: 'is empty',
  arrayNotEmpty: 'is empty',
  isNotEmpty: 'is empty',
};

function planOf(cls: Function, inherited: { null?: NullRule } = {}): Plan {
  let plan = PLANS.get(cls);
  if (!plan) {
    plan = compile(cls, inherited);
    PLANS.set(cls, plan);
  }
  return plan;
}

function compile(cls: Function, inherited: { null?: NullRule }): Plan {
  const { fields, rules, defaults, keepsRaw, allStorable } = declarationsOf(cls);
  const make = function (this: Hash) {} as unknown as new () => Hash;
  make.prototype = cls.prototype as Hash;
  const classDefaults = { ...inherited, ...defaults };
  const constraints = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
  return {
    cls,
    make,
    keepsRaw,
    allStorable,
    rules,
    fields: fields.map((f) => {
      const typeMeta = defaultMetadataStorage.findTypeMetadata(cls, f.key);
      const nested = typeMeta ? () => typeMeta.typeFunction() as Function : undefined;
      const conditions = constraints
        .filter((m) => m.propertyName === f.key && m.type === ValidationTypes.CONDITIONAL_VALIDATION)
        .map((m) => m.constraints[0] as (object: Hash, value: unknown) => boolean);
      const checks: Check[] = constraints
        .filter((m) => m.propertyName === f.key && m.constraintCls)
        .map((m) => {
          const constraint = new (
            m.constraintCls as new () => { validate(v: unknown, a: ValidationArguments): boolean | Promise<boolean> }
          )();
          const name = m.name ?? m.type;
          const message = typeof m.message === 'string' ? m.message : (MESSAGES[name] ?? 'is invalid');
          const one = (value: unknown, object: Hash) =>
            constraint.validate(value, { value, constraints: m.constraints, targetName: cls.name, object, property: f.key }) === true;
          const test = m.each ? (v: unknown, o: Hash) => (Array.isArray(v) ? v.every((e) => one(e, o)) : one(v, o)) : one;
          const guarded = conditions.length ? (v: unknown, o: Hash) => !conditions.every((c) => c(o, v)) || test(v, o) : test;
          return { test: guarded, message };
        });
      const transforms: Transform[] = defaultMetadataStorage
        .findTransformMetadatas(cls, f.key, TransformationType.PLAIN_TO_CLASS)
        .map(
          (t) => (value: unknown, obj: Hash) =>
            t.transformFn({ value, key: f.key, obj, type: TransformationType.PLAIN_TO_CLASS, options: {} }),
        );
      return {
        key: f.key,
        from: f.options.from ?? f.key,
        required: f.required,
        nulls: f.options.null ?? classDefaults.null ?? 'absent',
        blank: f.type.blank ?? (() => false),
        options: f.options,
        coerce: nested ? nestedCoercer(f.type, nested, classDefaults) : f.type.coerce,
        transforms,
        checks,
      };
    }),
  };
}

function nestedCoercer(type: ParamType, nested: () => Function, defaults: { null?: NullRule }): ParamType['coerce'] {
  const kind = (type as { nests?: 'hash' | 'array' }).nests;
  if (kind === 'hash') {
    return (raw, at) => (type.coerce(raw, at) === INVALID ? INVALID : run(planOf(nested(), defaults), raw as Hash, at.label, at.errors));
  }
  if (kind === 'array') {
    const options = (type as { options?: HashArrayOptions }).options ?? {};
    const indexed = options.indexed ?? true;
    return (raw, at) => {
      const list = type.coerce(raw, at);
      if (list === INVALID) return INVALID;
      return (list as unknown[]).map((element, i) => {
        const label = indexed ? `${at.label}[${i}]` : at.label;
        if (!isHash(element) || (options.storable && !isStorableJson(element))) {
          at.errors.push(`${label} is invalid`);
          return element;
        }
        return run(planOf(nested(), defaults), element, label, at.errors);
      });
    };
  }
  throw new Error(`@Type(() => ${nested().name}) needs a HashParam or HashArray parameter type`);
}

/**
 * A Hash read by a DTO, as a type to combine (`MapOf(Nested(() => Dto))`); on a field, prefer `@Type`. The DTO must
 * be declared before the class using it (its schema is written inline).
 */
export function Nested<T>(dto: () => new (...args: never[]) => T, hash: ParamType<Hash> & { nests: 'hash' } = HashParam): ParamType<T> {
  return { name: 'Hash', schema: inlineSchema(dto()), coerce: nestedCoercer(hash, dto, {}) as ParamType<T>['coerce'] };
}

/** An Array of Hash read by a DTO, as a type to combine (`MapOf(NestedArray(() => Dto))`). */
export function NestedArray<T>(dto: () => new (...args: never[]) => T, options: HashArrayOptions = {}): ParamType<T[]> {
  const array = HashArray(options);
  return {
    name: array.name,
    schema: { type: 'array', items: inlineSchema(dto()) },
    coerce: nestedCoercer(array, dto, {}) as ParamType<T[]>['coerce'],
  };
}

const labelOf = (prefix: string, f: FieldPlan): string => (prefix ? `${prefix}[${f.from}]` : f.from);

const has = (source: Hash, key: string) => Object.prototype.hasOwnProperty.call(source, key) && source[key] !== undefined;

/** Reads `source` with the plan; problems go to `errors` in declaration order. */
function run(plan: Plan, source: Hash, prefix: string, errors: string[]): Hash {
  const out = new plan.make();
  if (plan.keepsRaw) RAW.set(out, source);
  const fields = plan.fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    let raw = source[f.from];
    if ((raw === null && f.nulls === 'absent') || (raw !== undefined && !Object.prototype.hasOwnProperty.call(source, f.from)))
      raw = undefined;
    if (raw === undefined) {
      if (f.required || (f.options.requiredWhen !== undefined && f.options.requiredWhen(out)))
        errors.push(`${labelOf(prefix, f)} is missing`);
      else if (f.options.default !== undefined) out[f.key] = f.options.default;
      continue;
    }
    if (f.nulls === 'empty' && (raw === null || isBlankString(raw))) {
      errors.push(`${labelOf(prefix, f)} is empty`);
      continue;
    }
    if (raw === null || (f.nulls === 'value' && f.blank(raw))) {
      if (f.nulls === 'invalid') errors.push(`${labelOf(prefix, f)} is invalid`);
      else out[f.key] = null;
      continue;
    }
    let value: unknown = f.coerce(raw, { label: labelOf(prefix, f), errors });
    if (value === INVALID) {
      errors.push(`${labelOf(prefix, f)} is invalid`);
      continue;
    }
    for (let t = 0; t < f.transforms.length; t++) value = f.transforms[t](value, out);
    let failed: Check | undefined;
    for (let c = 0; c < f.checks.length && !failed; c++) if (!f.checks[c].test(value, out)) failed = f.checks[c];
    if (failed) {
      errors.push(`${labelOf(prefix, f)} ${failed.message}`);
      continue;
    }
    out[f.key] = value;
  }
  for (const rule of plan.rules) {
    const given = rule.keys.filter((k) => has(source, k) && source[k] !== null);
    const names = (keys: readonly string[]) => keys.map((k) => (prefix ? `${prefix}[${k}]` : k)).join(', ');
    if (rule.kind === 'all_or_none_of') {
      if (given.length > 0 && given.length < rule.keys.length) errors.push(`${names(rule.keys)} provide all or none of parameters`);
      continue;
    }
    if (rule.kind !== 'at_least_one_of' && given.length > 1) errors.push(`${names(given)} are mutually exclusive`);
    if (rule.kind !== 'mutually_exclusive' && given.length === 0) {
      errors.push(
        `${names(rule.keys)} are missing, ${rule.kind === 'at_least_one_of' ? 'at least' : 'exactly'} one parameter must be provided`,
      );
    }
  }
  return out;
}

/** Compiles `cls` now (at start-up, from `@Params()`), so a misdeclared DTO fails there, not on a request. */
export function compileParams(cls: Function): void {
  planOf(cls);
}

/**
 * The typed parameters of `cls` read from `source` (query merged with body): an instance holding the present
 * declared parameters only (absent ones are not set, an explicit null stays null where the field accepts it).
 * Every problem is answered at once, in declaration order: 400 `{"error":"a is missing, b is invalid"}`.
 */
export function readParams<T>(cls: new (...args: never[]) => T, source: unknown): T {
  const errors: string[] = [];
  const plan = planOf(cls);
  const hash = isHash(source) ? source : {};
  if (plan.allStorable) assertStorableParams(hash);
  const out = run(plan, hash, '', errors);
  if (errors.length) throw paramError(...errors);
  return out as T;
}

/** The hash a DTO of a `@KeepsRaw()` class was read from (own keys only): for routes that store what was sent. */
export function rawOf(dto: object): Hash {
  return RAW.get(dto) ?? {};
}
