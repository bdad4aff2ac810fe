/**
 * Fuzzes every operation of the committed OpenAPI document with valid credentials and malformed requests:
 * wrong JSON types, missing and extra fields, huge strings, invalid JSON, wrong content types, unicode,
 * negative and overflowing numbers, path traversal in path parameters. No answer may be a 5xx.
 * FUZZ_RUNS sets the number of requests per operation (default 6; CI keeps it small).
 */
import fc from 'fast-check';
import { Credential, credentialsForEveryScheme } from '../helpers/credentials';
import { loadOpenApi, operations } from '../helpers/openapi';
import { createTestApp, TestApp } from '../helpers/test-app';

const RUNS = Number(process.env.FUZZ_RUNS ?? 6);
const doc = loadOpenApi();
const ops = operations();

const nasty = fc.constantFrom(
  '../../etc/passwd',
  '..%2F..%2Fetc',
  '%00',
  'nul\u0000byte',
  '-1',
  '0',
  '9223372036854775808',
  '99999999999999999999999999',
  '1e309',
  'NaN',
  'ünïcødé-☃-𝔘',
  ' ',
  '',
  "'; DROP TABLE users; --",
  '{"a":1}',
  'a'.repeat(5000),
);
const scalar = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(-1, 0, Number.MAX_SAFE_INTEGER + 2, 1e308, -1e308),
  fc.boolean(),
  fc.constant(null),
  nasty,
);
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 3 }) },
);

function bodyFieldNames(op: Record<string, unknown>): string[] {
  const content = (op.requestBody as { content?: Record<string, { schema?: { $ref?: string; properties?: object } }> } | undefined)?.content;
  const schema = content && Object.values(content)[0]?.schema;
  const ref = schema?.$ref?.split('/').pop();
  const resolved = ref ? ((doc.components as { schemas: Record<string, { properties?: object }> }).schemas[ref] ?? {}) : schema;
  return Object.keys(resolved?.properties ?? {});
}

function queryNames(op: Record<string, unknown>): string[] {
  return ((op.parameters as { in: string; name: string }[] | undefined) ?? []).filter((p) => p.in === 'query').map((p) => p.name);
}

describe('fuzzing every operation never yields a 5xx', () => {
  let t: TestApp;
  let creds: Record<string, Credential>;
  beforeAll(async () => {
    t = await createTestApp();
    creds = await credentialsForEveryScheme(t);
  });
  afterAll(() => t.close());

  it.each(ops.map((o) => [`${o.method.toUpperCase()} ${o.path}`, o] as const))('%s', async (_name, op) => {
    const names = [...new Set([...bodyFieldNames(op.op), ...queryNames(op.op), 'id', 'key_id', 'user_id', 'page', 'per_page'])];
    const fieldName = fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 10 }));
    const request = fc.record({
      pathValue: fc.oneof(nasty, fc.string({ maxLength: 30 }), fc.integer().map(String)),
      query: fc.dictionary(fieldName, scalar.map((v) => (v === null ? '' : String(v))), { maxKeys: 4 }),
      body: fc.oneof(
        { weight: 5, arbitrary: fc.dictionary(fieldName, value, { maxKeys: 6 }).map((o) => ({ kind: 'json' as const, payload: JSON.stringify(o) })) },
        { weight: 1, arbitrary: value.map((v) => ({ kind: 'json' as const, payload: JSON.stringify(v) ?? 'null' })) },
        { weight: 1, arbitrary: fc.constantFrom('{', '{"a":', '[1,', 'null', '"x"', '\u0000').map((p) => ({ kind: 'json' as const, payload: p })) },
        { weight: 1, arbitrary: fc.dictionary(fieldName, fc.string({ maxLength: 20 }), { maxKeys: 4 }).map((o) => ({ kind: 'form' as const, payload: new URLSearchParams(o as Record<string, string>).toString() })) },
        { weight: 1, arbitrary: fc.string({ maxLength: 50 }).map((p) => ({ kind: 'text' as const, payload: p })) },
        { weight: 1, arbitrary: fc.constant({ kind: 'json' as const, payload: JSON.stringify({ huge: 'x'.repeat(200_000) }) }) },
      ),
    });
    const cred = creds[op.schemes[op.schemes.length - 1]];
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const url = op.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(req.pathValue));
        let call = t.http()[op.method](url).query(req.query).set(cred ? cred.headers() : {});
        if (op.method !== 'get' && op.method !== 'delete') {
          const type = req.body.kind === 'json' ? 'application/json' : req.body.kind === 'form' ? 'application/x-www-form-urlencoded' : 'text/plain';
          call = call.set('Content-Type', type).send(req.body.payload);
        }
        const res = await call;
        if (res.status >= 500) throw new Error(`${op.method.toUpperCase()} ${url} → ${res.status} ${JSON.stringify(res.body)} for ${JSON.stringify(req).slice(0, 500)}`);
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
  });
});
