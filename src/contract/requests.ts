/**
 * Request generation derived from the OpenAPI document, shared by the e2e auth walk and fuzz suites and by the
 * black-box contract check (`npm run contract`): every operation, a concrete URL for it, the credentials it must
 * reject, and malformed requests (wrong JSON types, missing and extra fields, huge strings, invalid JSON, wrong
 * content types, unicode, negative and overflowing numbers, path traversal in path parameters).
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SECURITY } from '../auth/security-schemes';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface OpenApiDocument {
  tags: { name: string; description?: string }[];
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: Record<string, unknown>;
}

export interface Operation {
  method: Method;
  path: string;
  operationId: string;
  /** Scheme names of the (single) security requirement: one name, or two for kas-agent routes. */
  schemes: string[];
  op: Record<string, unknown>;
}

export type Credential = { name: string; headers: () => Record<string, string> };

/** One request to send: the URL (path and query), headers, and an optional raw body with its content type. */
export interface PlannedRequest {
  method: Method;
  url: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: { contentType: string; payload: string };
}

export const DOCUMENT_PATH = join(__dirname, '..', '..', 'openapi', 'openapi.json');

export function loadOpenApiDocument(path = DOCUMENT_PATH): OpenApiDocument {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Every operation of the document. */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const security = (op.security as Record<string, string[]>[] | undefined) ?? [];
      out.push({ method: method as Method, path, operationId: String(op.operationId), schemes: Object.keys(security[0] ?? {}), op });
    }
  }
  return out;
}

/** A concrete URL for a templated path: ids become `1`, other parameters a plausible word. */
export function samplePath(path: string, values: Record<string, string> = {}): string {
  return path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(values[name] ?? (/id$/i.test(name) ? '1' : 'sample')));
}

/** Credentials a route of `schemes` accepts besides its own (an admin token is also a user token). */
export function acceptedBy(schemes: string[]): string[] {
  const accepted = new Set(schemes);
  if (accepted.has(SECURITY.user)) accepted.add(SECURITY.admin);
  // the kas-agent credential carries a valid kas JWT too
  if (accepted.has(SECURITY.kas)) accepted.add(SECURITY.kasAgent);
  return [...accepted];
}

/** Well-formed but invalid credentials of every scheme (for a deployment whose secrets the checker does not have). */
export function foreignCredentials(): Record<string, Credential> {
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJub2JvZHkifQ.c2lnbmF0dXJl';
  const cred = (name: string, headers: Record<string, string>): Credential => ({ name, headers: () => headers });
  return {
    [SECURITY.shell]: cred(SECURITY.shell, { 'Gitlab-Shell-Api-Request': jwt }),
    [SECURITY.kas]: cred(SECURITY.kas, { 'Gitlab-Kas-Api-Request': jwt }),
    [SECURITY.kasAgent]: cred(SECURITY.kasAgent, { 'Gitlab-Kas-Api-Request': jwt, Authorization: `Bearer glagent-${'x'.repeat(50)}` }),
    [SECURITY.user]: cred(SECURITY.user, { 'PRIVATE-TOKEN': `glpat-${'x'.repeat(20)}` }),
    [SECURITY.scimGroup]: cred(SECURITY.scimGroup, { Authorization: 'Bearer glsoat-unknown-group' }),
    [SECURITY.scimInstance]: cred(SECURITY.scimInstance, { Authorization: 'Bearer glsoat-unknown-instance' }),
    [SECURITY.errorTracking]: cred(SECURITY.errorTracking, { 'Gitlab-Error-Tracking-Token': 'not-the-token' }),
  };
}

/**
 * The auth walk of one operation: no credential, then every credential of a scheme the operation does not accept.
 * Each must be answered 401 or 403.
 */
export function authWalkRequests(op: Operation, credentials: Record<string, Credential>, pathValues: Record<string, string> = {}): (PlannedRequest & { credential: string })[] {
  const url = samplePath(op.path, pathValues);
  const body = op.method === 'get' || op.method === 'delete' ? undefined : { contentType: 'application/json', payload: '{}' };
  const out: (PlannedRequest & { credential: string })[] = [{ credential: 'none', method: op.method, url, query: {}, headers: {}, body }];
  const accepted = acceptedBy(op.schemes);
  for (const [name, cred] of Object.entries(credentials)) {
    if (!accepted.includes(name)) out.push({ credential: name, method: op.method, url, query: {}, headers: cred.headers(), body });
  }
  return out;
}

export const rejected = (status: number) => status === 401 || status === 403;

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

function bodyFieldNames(doc: OpenApiDocument, op: Record<string, unknown>): string[] {
  const content = (op.requestBody as { content?: Record<string, { schema?: { $ref?: string; properties?: object } }> } | undefined)?.content;
  const schema = content && Object.values(content)[0]?.schema;
  const ref = schema?.$ref?.split('/').pop();
  const resolved = ref ? ((doc.components as { schemas: Record<string, { properties?: object }> }).schemas[ref] ?? {}) : schema;
  return Object.keys(resolved?.properties ?? {});
}

function queryNames(op: Record<string, unknown>): string[] {
  return ((op.parameters as { in: string; name: string }[] | undefined) ?? []).filter((p) => p.in === 'query').map((p) => p.name);
}

/** Malformed requests for one operation, sent with `headers` (a valid credential where the caller has one). */
export function fuzzRequests(doc: OpenApiDocument, op: Operation, headers: () => Record<string, string>): fc.Arbitrary<PlannedRequest> {
  const names = [...new Set([...bodyFieldNames(doc, op.op), ...queryNames(op.op), 'id', 'key_id', 'user_id', 'page', 'per_page'])];
  const fieldName = fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 10 }));
  const json = (payload: string) => ({ contentType: 'application/json', payload });
  return fc
    .record({
      pathValue: fc.oneof(nasty, fc.string({ maxLength: 30 }), fc.integer().map(String)),
      query: fc.dictionary(fieldName, scalar.map((v) => (v === null ? '' : String(v))), { maxKeys: 4 }),
      body: fc.oneof(
        { weight: 5, arbitrary: fc.dictionary(fieldName, value, { maxKeys: 6 }).map((o) => json(JSON.stringify(o))) },
        { weight: 1, arbitrary: value.map((v) => json(JSON.stringify(v) ?? 'null')) },
        { weight: 1, arbitrary: fc.constantFrom('{', '{"a":', '[1,', 'null', '"x"', '\u0000').map(json) },
        {
          weight: 1,
          arbitrary: fc
            .dictionary(fieldName, fc.string({ maxLength: 20 }), { maxKeys: 4 })
            .map((o) => ({ contentType: 'application/x-www-form-urlencoded', payload: new URLSearchParams(o as Record<string, string>).toString() })),
        },
        { weight: 1, arbitrary: fc.string({ maxLength: 50 }).map((p) => ({ contentType: 'text/plain', payload: p })) },
        { weight: 1, arbitrary: fc.constant(json(JSON.stringify({ huge: 'x'.repeat(200_000) }))) },
      ),
    })
    .map((r) => ({
      method: op.method,
      url: op.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(r.pathValue)),
      query: r.query,
      headers: headers(),
      body: op.method === 'get' || op.method === 'delete' ? undefined : r.body,
    }));
}

/** The URL of a planned request with its query string. */
export function fullUrl(req: PlannedRequest): string {
  const search = new URLSearchParams(req.query).toString();
  return search ? `${req.url}?${search}` : req.url;
}
