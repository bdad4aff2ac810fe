const API_MODEL_PROPERTIES = 'swagger/apiModelProperties';
import { Transform, Type } from 'class-transformer';
import { ArrayNotEmpty, getMetadataStorage, IsIn, Min } from 'class-validator';
import { paramErrorOf } from '../../../test/helpers/param-errors';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { mergeParams, Params, ParamsPipe } from '../params.decorator';
import {
  AllOrNoneOf,
  AtLeastOneOf,
  Bool,
  HashArray,
  HashParam,
  Int32,
  Int64Id,
  MapOf,
  MutuallyExclusive,
  NotBlank,
  Optional,
  ParamDefaults,
  rawOf,
  readParams,
  Requires,
  Str,
  ArrayOf,
  Integer,
  KeepsRaw,
  AllStorable,
  LooseText,
  LooseTextList,
} from '.';
import { ApiError } from '../api-error';

const errorOf = (fn: () => unknown) => ({ error: paramErrorOf(fn) });

@KeepsRaw()
class Resource {
  @Requires(Str) namespace: string;
  @Optional(Str) container?: string;
}

class Item {
  @Requires(Str) @NotBlank() name: string;
  @Optional(Int32) count?: number;
}

class Body {
  @Requires(Int64Id) agent_id: number;
  @Requires(Str) @Transform(({ value }) => (value as string).toLowerCase()) @IsIn(['low', 'high']) severity: string;
  @Optional(Bool) enabled?: boolean;
  @Optional(HashParam) @Type(() => Resource) resource?: Resource;
  @Optional(HashArray()) @Type(() => Item) @ArrayNotEmpty() items?: Item[];
  @Optional(Str, { requiredWhen: (d) => d.severity === 'high' }) reason?: string;
}

describe('readParams', () => {
  it('answers every problem at once, in declaration order, as Grape does', () => {
    expect(errorOf(() => readParams(Body, { severity: 'medium', enabled: 'maybe', resource: { container: [] } }))).toEqual({
      error:
        'agent_id is missing, severity does not have a valid value, enabled is invalid, resource[namespace] is missing, resource[container] is invalid',
    });
  });

  it('coerces strings, numbers and booleans from JSON, form and query input', () => {
    const dto = readParams(Body, { agent_id: ' 12 ', severity: 'HIGH', enabled: 'TRUE', reason: 7 });
    expect(dto).toBeInstanceOf(Body);
    expect({ ...dto }).toEqual({ agent_id: 12, severity: 'high', enabled: true, reason: '7' });
    expect(readParams(Body, { agent_id: '99999999999999999999', severity: 'low' }).agent_id).toBe(0);
  });

  it('leaves absent parameters unset and checks conditional requirements on what was read', () => {
    const dto = readParams(Body, { agent_id: 1, severity: 'low' });
    expect('enabled' in dto).toBe(false);
    expect(errorOf(() => readParams(Body, { agent_id: 1, severity: 'high' }))).toEqual({ error: 'reason is missing' });
  });

  it('names nested and indexed entries with brackets and applies their validators', () => {
    expect(
      errorOf(() => readParams(Body, { agent_id: 1, severity: 'low', items: [{ name: ' ' }, 'x', { name: 'a', count: 2 ** 31 }] })),
    ).toEqual({
      error: 'items[0][name] is empty, items[1] is invalid, items[2][count] is invalid',
    });
    expect(errorOf(() => readParams(Body, { agent_id: 1, severity: 'low', items: [] }))).toEqual({ error: 'items is empty' });
    const dto = readParams(Body, { agent_id: 1, severity: 'low', resource: { namespace: 'ns', extra: 1 } });
    expect(dto.resource).toBeInstanceOf(Resource);
    expect({ ...dto.resource }).toEqual({ namespace: 'ns' });
    expect(rawOf(dto.resource!)).toEqual({ namespace: 'ns', extra: 1 });
  });

  it('treats null as absent by default, as a value or as invalid when the field says so', () => {
    @ParamDefaults({ null: 'value' })
    class Nullable {
      @Requires(Int32) seats: number | null;
      @Optional(Bool) trial?: boolean | null;
      @Optional(Str) note?: string | null;
      @Optional(HashArray({ badElement: 'whole', indexed: false, formIndexed: true }), { null: 'invalid' })
      @Type(() => Item)
      packs?: Item[];
    }
    expect(errorOf(() => readParams(Body, { agent_id: null, severity: 'low' }))).toEqual({ error: 'agent_id is missing' });
    expect({ ...readParams(Nullable, { seats: null, trial: '', note: '' }) }).toEqual({ seats: null, trial: null, note: '' });
    expect(errorOf(() => readParams(Nullable, { seats: 1, packs: null }))).toEqual({ error: 'packs is invalid' });
    expect(errorOf(() => readParams(Nullable, { seats: 1, packs: [{ name: 'a' }, 'x'] }))).toEqual({ error: 'packs is invalid' });
    expect(errorOf(() => readParams(Nullable, { seats: 1, packs: { '1': {}, '0': { name: 'a' } } }))).toEqual({
      error: 'packs[name] is missing',
    });
  });

  it('reads arrays and maps of one type', () => {
    class Lists {
      @Optional(ArrayOf(Str)) uuids?: string[];
      @Optional(MapOf(Integer(), { keys: ['a', 'b'] })) counters?: Record<string, number>;
      @Optional(Integer()) @Min(0) count?: number;
    }
    expect({ ...readParams(Lists, { uuids: ['x', 1], counters: { a: '2', c: 'x' } }) }).toEqual({ uuids: ['x', '1'], counters: { a: 2 } });
    expect(errorOf(() => readParams(Lists, { uuids: ['x', {}], counters: { a: 'x', b: 1.5 }, count: -1 }))).toEqual({
      error: 'uuids is invalid, counters[a] is invalid, counters[b] is invalid, count does not have a valid value',
    });
  });

  it("applies Grape's mutually_exclusive and at_least_one_of", () => {
    @MutuallyExclusive('a', 'b')
    @AtLeastOneOf('a', 'b', 'c')
    class Choice {
      @Optional(Str) a?: string;
      @Optional(Str) b?: string;
      @Optional(Str) c?: string;
    }
    expect(errorOf(() => readParams(Choice, { a: 'x', b: 'y' }))).toEqual({ error: 'a, b are mutually exclusive' });
    expect(errorOf(() => readParams(Choice, {}))).toEqual({ error: 'a, b, c are missing, at least one parameter must be provided' });
    expect(readParams(Choice, { c: 'z' }).c).toBe('z');
  });

  it('rejects text PostgreSQL cannot store and takes nothing from prototype keys', () => {
    expect(errorOf(() => readParams(Item, { name: 'a\u0000b' }))).toEqual({ error: 'name is invalid' });
    const merged = mergeParams({}, JSON.parse('{"__proto__":{"name":"x"}}'));
    expect(errorOf(() => readParams(Item, merged))).toEqual({ error: 'name is missing' });
  });

  it('compiles a class once: no metadata lookup on later requests', () => {
    class Once {
      @Requires(Str) name: string;
    }
    const spy = jest.spyOn(getMetadataStorage(), 'getTargetValidationMetadatas');
    readParams(Once, { name: 'a' });
    readParams(Once, { name: 'b' });
    expect(spy.mock.calls.filter(([cls]) => cls === Once)).toHaveLength(1);
    spy.mockRestore();
  });

  it('documents each field for OpenAPI from its type and options', () => {
    const props = Reflect.getMetadata(API_MODEL_PROPERTIES, Body.prototype, 'enabled') as Record<string, unknown>;
    expect(props).toMatchObject({ type: 'boolean', required: false });
    expect(Reflect.getMetadata(API_MODEL_PROPERTIES, Body.prototype, 'severity')).toMatchObject({ type: 'string', required: true });
  });
});

describe('ParamsPipe', () => {
  it('reads a DTO-typed parameter and leaves any other type raw', () => {
    const pipe = new ParamsPipe();
    const raw = { name: 'a' };
    expect(pipe.transform(raw, { type: 'custom', metatype: Object })).toBe(raw);
    expect(pipe.transform(raw, { type: 'custom', metatype: Item })).toBeInstanceOf(Item);
  });
});

describe('@Params()', () => {
  it('attaches the pipe to DTO-typed parameters only', () => {
    class Controller {
      typed(@Params() _input: Item): void {}
      raw(@Params() _params: Record<string, unknown>): void {}
    }
    const pipesOf = (method: string) =>
      Object.values(Reflect.getMetadata(ROUTE_ARGS_METADATA, Controller, method) as Record<string, { pipes: unknown[] }>)[0].pipes;
    expect(pipesOf('typed')).toHaveLength(1);
    expect(pipesOf('raw')).toHaveLength(0);
  });
});

describe('AllOrNoneOf', () => {
  it("answers Grape's all_or_none_of when some but not all of the parameters are given", () => {
    @AllOrNoneOf('extern_uid', 'provider')
    class Identity {
      @Optional(Str) provider?: string;
      @Optional(Str) extern_uid?: string;
      @Optional(Str) name?: string;
    }
    expect(errorOf(() => readParams(Identity, { provider: 'ldap', name: 1 }))).toEqual({
      error: 'extern_uid, provider provide all or none of parameters',
    });
    expect(errorOf(() => readParams(Identity, { extern_uid: 'x', provider: null }))).toEqual({
      error: 'extern_uid, provider provide all or none of parameters',
    });
    expect({ ...readParams(Identity, { provider: 'ldap', extern_uid: 'uid' }) }).toEqual({ provider: 'ldap', extern_uid: 'uid' });
    expect({ ...readParams(Identity, {}) }).toEqual({});
  });
});

describe('AllStorable', () => {
  @AllStorable()
  class Push {
    @Requires(LooseText) changes: string | undefined;
  }

  it('answers an unstorable parameter, declared or not, before any other problem', () => {
    const thrown = (source: Record<string, unknown>) => {
      try {
        readParams(Push, source);
      } catch (err) {
        return { status: (err as ApiError).status, body: (err as ApiError).body };
      }
      return null;
    };
    expect(thrown({ env: { dir: 'a\u0000' } })).toEqual({
      status: 400,
      body: { message: '400 Bad request - env contains a NUL character or invalid UTF-8' },
    });
    expect(thrown({ changes: '\ud800' })).toEqual({
      status: 400,
      body: { message: '400 Bad request - changes contains a NUL character or invalid UTF-8' },
    });
    expect(thrown({})).toEqual({ status: 400, body: { error: 'changes is missing' } });
    expect({ ...readParams(Push, { changes: '_any', other: 'x' }) }).toEqual({ changes: '_any' });
  });
});

describe('LooseText and LooseTextList', () => {
  class Shell {
    @Optional(LooseText) name?: string;
    @Optional(LooseTextList) list?: string[];
  }

  it('never answer a parameter error: values of the wrong kind read as undefined', () => {
    expect({ ...readParams(Shell, { name: 12, list: 'one' }) }).toEqual({ name: '12', list: ['one'] });
    expect({ ...readParams(Shell, { name: true, list: ['a', null, 2, { b: 1 }] }) }).toEqual({ name: 'true', list: ['a', '2', '{"b":1}'] });
    const odd = readParams(Shell, { name: { a: 1 }, list: { a: 1 } });
    expect([odd.name, odd.list]).toEqual([undefined, undefined]);
    expect({ ...readParams(Shell, { name: null }) }).toEqual({});
  });
});

describe('@Params({ jsonTextBody: true })', () => {
  class Alert {
    @Requires(HashParam) alert: Record<string, unknown>;
  }
  class Controller {
    alert(@Params({ jsonTextBody: true }) _input: Alert): void {}
  }
  const arg = Object.values(
    Reflect.getMetadata(ROUTE_ARGS_METADATA, Controller, 'alert') as Record<
      string,
      { factory: (d: unknown, ctx: unknown) => unknown; pipes: unknown[] }
    >,
  )[0];
  const read = (query: unknown, body: unknown) =>
    arg.factory(undefined, { switchToHttp: () => ({ getRequest: () => ({ query, body }) }) }) as Record<string, unknown>;

  it('reads a JSON string body as the object it holds, and any other body as usual', () => {
    expect(arg.pipes).toHaveLength(1);
    expect({ ...read({ q: '1' }, '{"alert":{"a":1}}') }).toEqual({ alert: { a: 1 } });
    expect({ ...read({ q: '1' }, '[1]') }).toEqual({});
    expect({ ...read({ q: '1' }, 'not json') }).toEqual({});
    expect({ ...read({ q: '1' }, { alert: {} }) }).toEqual({ q: '1', alert: {} });
  });
});
