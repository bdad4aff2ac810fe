import { ArgumentMetadata, createParamDecorator, ExecutionContext, Injectable, PipeTransform } from '@nestjs/common';
import { declaresParams } from './params/decorators';
import { compileParams, readParams } from './params/plan';

export type RawParams = Record<string, unknown>;

/**
 * Turns the merged parameters into the typed DTO the handler declares (`@Params() input: CreateThingDto`), answering
 * Grape's 400 `{"error":"a is missing, b is invalid"}`; a parameter typed as anything else (`RawParams`) stays raw.
 */
@Injectable()
export class ParamsPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    return declaresParams(metadata.metatype) ? readParams(metadata.metatype as new () => unknown, value) : value;
  }
}

const MergedParams = createParamDecorator((_data: unknown, ctx: ExecutionContext): RawParams => {
  const request = ctx.switchToHttp().getRequest<{ query?: unknown; body?: unknown }>();
  return mergeParams(request.query, request.body);
});

/** As `MergedParams`, except that a body which is a JSON string is read as the object that string holds (alone). */
const JsonTextParams = createParamDecorator((_data: unknown, ctx: ExecutionContext): RawParams => {
  const request = ctx.switchToHttp().getRequest<{ query?: unknown; body?: unknown }>();
  return typeof request.body === 'string' ? mergeParams(undefined, jsonObject(request.body)) : mergeParams(request.query, request.body);
});

function jsonObject(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export interface ParamsOptions {
  /**
   * The body may also be a JSON string holding the parameters' object (kas's legacy encoding): then that object
   * alone is read (a string holding anything else reads as no parameters).
   */
  jsonTextBody?: boolean;
}

const PIPE = new ParamsPipe();

/**
 * The request's parameters as GitLab sees them: the query string merged with a JSON or form body, the body
 * winning on a name both carry, read by the DTO class the handler parameter is typed with (see `params/`). The
 * pipe is attached only to DTO-typed parameters, so raw parameters (the shell hot paths) cost what they did.
 */
export const Params =
  (options: ParamsOptions = {}): ParameterDecorator =>
  (target, key, index): void => {
    const types = key === undefined ? undefined : (Reflect.getMetadata('design:paramtypes', target, key) as unknown[] | undefined);
    const type = types?.[index];
    if (declaresParams(type)) compileParams(type);
    const source = options.jsonTextBody ? JsonTextParams : MergedParams;
    (declaresParams(type) ? source(PIPE) : source())(target, key, index);
  };

/** Names that would reach an object's prototype machinery rather than name a parameter; they are dropped. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Nesting beyond this is kept by reference (no route reads that deep; it bounds the copy). */
const MAX_DEPTH = 32;

/**
 * Query and body merged into an object without a prototype, holding own properties only: nothing a client sends
 * (`{"__proto__":{"admin":true}}`, `constructor`, `prototype`) can add a parameter through the prototype chain.
 * Nested hashes are copied without those keys too, so a service spreading or assigning them changes no prototype
 * (they keep the ordinary object prototype, so code that prints or compares them behaves as before).
 */
export function mergeParams(query: unknown, body: unknown): RawParams {
  const merged = Object.create(null) as RawParams;
  if (isHash(query)) copyOwn(query, merged, 0);
  if (isHash(body)) copyOwn(body, merged, 0);
  return merged;
}

/** A copy of an untrusted JSON/form value whose hashes hold own, non-prototype keys only. */
export function ownValue(value: unknown, depth = 0): unknown {
  if (depth >= MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((v) => ownValue(v, depth + 1));
  if (isHash(value)) return copyOwn(value, {}, depth + 1);
  return value;
}

function copyOwn(source: object, target: RawParams, depth: number): RawParams {
  for (const key of Object.keys(source)) {
    if (PROTOTYPE_KEYS.has(key)) continue;
    target[key] = ownValue((source as RawParams)[key], depth);
  }
  return target;
}

function isHash(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}
