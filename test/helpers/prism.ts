/**
 * Third-party validation of every e2e exchange: Stoplight Prism's own router and validators (the ones its
 * validation proxy `prism proxy --errors` runs) check each request and response the tests make against the
 * committed openapi/openapi.json, in process, during the ordinary `npm test` run.
 *
 * - A response violation (an undocumented status, a body or media type the document does not describe) always
 *   fails the test file.
 * - A request violation (no credential, a body of the wrong shape, a path the document does not know) fails it
 *   unless test/contract/request-violations.allow.json lists it: tests send such requests on purpose.
 *
 * PRISM_VALIDATION=0 turns it off (the ajv check of test/helpers/contract.ts still runs).
 */
import { getHttpOperationsFromSpec, IHttpRequest, IHttpResponse } from '@stoplight/prism-http';
import route from '@stoplight/prism-http/dist/router';
import { validateInput, validateOutput, validateSecurity } from '@stoplight/prism-http/dist/validator';
import type { IHttpOperation } from '@stoplight/types';
import type { Middleware } from 'openapi-fetch';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..');
export const prismEnabled = process.env.PRISM_VALIDATION !== '0';

interface Diagnostic {
  message: string;
  code?: string | number;
  path?: (string | number)[];
  severity: number;
}

export interface AllowEntry {
  /** test file relative to the repository root */
  file: string;
  /** kind of request violation: security | body | query | path | header | route */
  kind: string;
  /** optional `METHOD /template` the entry is limited to */
  operation?: string;
  reason: string;
}

export interface Exchange {
  method: string;
  /** path with query string, as sent */
  url: string;
  requestHeaders: Record<string, string | string[] | number | undefined>;
  requestBody: unknown;
  status: number;
  responseHeaders: Record<string, string | string[] | undefined>;
  responseBody: unknown;
}

export const prismResponseViolations: string[] = [];
export const prismRequestViolations: string[] = [];
const pending: Promise<void>[] = [];
let operationsPromise: Promise<IHttpOperation[]> | undefined;
let allowList: AllowEntry[] | undefined;

function operations(): Promise<IHttpOperation[]> {
  operationsPromise ??= getHttpOperationsFromSpec(join(root, 'openapi', 'openapi.json'));
  return operationsPromise;
}

export function loadAllowList(): AllowEntry[] {
  allowList ??= JSON.parse(readFileSync(join(root, 'test', 'contract', 'request-violations.allow.json'), 'utf8')).entries;
  return allowList!;
}

function flatHeaders(headers: Record<string, string | string[] | number | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  return out;
}

function parseQuery(search: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(search)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** The kind of a request diagnostic, for the allow-list. */
function requestKind(d: Diagnostic): string {
  const first = d.path?.[0];
  if (first === 'body' || d.code === 415 || d.message.startsWith('Body parameter')) return 'body';
  if (first === 'query' || first === 'path' || first === 'header') return String(first);
  return 'body';
}

/** Validates one exchange; the result lands in the violation lists (see `awaitPrismChecks`). */
export function validateExchange(exchange: Exchange, testFile: string): Promise<{ request: { kind: string; text: string }[]; response: string[] }> {
  const task = (async () => {
    const resources = await operations();
    const [path, search = ''] = exchange.url.replace(/^https?:\/\/[^/]+/, '').split(/\?(.*)/s);
    const requestHeaders = flatHeaders(exchange.requestHeaders);
    let body = exchange.requestBody;
    if (typeof body === 'string' && /json/.test(requestHeaders['content-type'] ?? '')) {
      try {
        body = JSON.parse(body);
      } catch {
        /* malformed JSON stays a string: the body check reports it */
      }
    }
    const input: IHttpRequest = {
      method: exchange.method.toLowerCase() as IHttpRequest['method'],
      url: { path, query: parseQuery(search) },
      headers: requestHeaders,
      body,
    };
    const request: { kind: string; text: string }[] = [];
    const response: string[] = [];
    const matched = route({ resources, input });
    if (matched._tag === 'Left') {
      request.push({ kind: 'route', text: `${exchange.method.toUpperCase()} ${path}: ${matched.left.message}` });
      return { request, response };
    }
    const resource = matched.right;
    const op = `${exchange.method.toUpperCase()} ${resource.path}`;
    const security = validateSecurity({ resource, element: input });
    if (security._tag === 'Left') for (const d of security.left as Diagnostic[]) request.push({ kind: 'security', text: `${op}: ${d.message}` });
    const checked = validateInput({ resource, element: input });
    if (checked._tag === 'Left') {
      for (const d of checked.left as Diagnostic[]) request.push({ kind: requestKind(d), text: `${op}: ${(d.path ?? []).join('.')} ${d.message}` });
    }
    const output: IHttpResponse = {
      statusCode: exchange.status,
      headers: flatHeaders(exchange.responseHeaders),
      body: exchange.responseBody,
    };
    const out = validateOutput({ resource, element: output });
    if (out._tag === 'Left') {
      for (const d of out.left as Diagnostic[]) {
        if (d.severity > 1) continue; // information and hints
        response.push(`${op} → ${exchange.status}: ${(d.path ?? []).join('.')} ${d.message} — body ${JSON.stringify(exchange.responseBody ?? null).slice(0, 200)}`);
      }
    }
    for (const r of request) r.text = `${r.text} (${op.split(' ')[0]} ${path})`;
    return { request, response, op };
  })().then((result) => {
    const file = relative(root, testFile);
    prismResponseViolations.push(...result.response.map((r) => `${file}: ${r}`));
    const op = (result as { op?: string }).op;
    for (const r of result.request) {
      const allowed = loadAllowList().some((e) => e.file === file && e.kind === r.kind && (!e.operation || e.operation === op));
      if (!allowed) prismRequestViolations.push(`${file}: [${r.kind}] ${r.text}`);
    }
    return result;
  });
  pending.push(task.then(() => undefined, (err: Error) => void prismResponseViolations.push(`validator error: ${err.message}`)));
  return task;
}

/** Waits for the validations still running. */
export async function awaitPrismChecks(): Promise<void> {
  while (pending.length) await Promise.all(pending.splice(0));
}

/** openapi-fetch middleware: the generated client's exchanges go through the same checks. */
export function prismClientMiddleware(): Middleware {
  const bodies = new WeakMap<Request, Promise<string>>();
  return {
    onRequest({ request }) {
      bodies.set(request, request.clone().text());
      return undefined;
    },
    async onResponse({ request, response }) {
      if (!prismEnabled) return undefined;
      const text = await response.clone().text();
      let body: unknown = text;
      if (/json/.test(response.headers.get('content-type') ?? '') && text) body = JSON.parse(text);
      const requestBody = await (bodies.get(request) ?? Promise.resolve(''));
      const url = new URL(request.url);
      void validateExchange(
        {
          method: request.method,
          url: url.pathname + url.search,
          requestHeaders: Object.fromEntries(request.headers),
          requestBody: requestBody || undefined,
          status: response.status,
          responseHeaders: Object.fromEntries(response.headers),
          responseBody: body,
        },
        expect.getState().testPath ?? 'unknown',
      );
      return undefined;
    },
  };
}
