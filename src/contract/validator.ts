/**
 * Checks one HTTP exchange against an OpenAPI document with Stoplight Prism's router and validators, the ones
 * its validation proxy (`prism proxy --errors`) runs: the request (security, body, query, path, headers) and the
 * response (documented status, media type, body schema, headers). Used by the e2e suite and `npm run contract`.
 */
import { getHttpOperationsFromSpec, IHttpRequest, IHttpResponse } from '@stoplight/prism-http';
import route from '@stoplight/prism-http/dist/router';
import { validateInput, validateOutput, validateSecurity } from '@stoplight/prism-http/dist/validator';
import type { IHttpOperation } from '@stoplight/types';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Diagnostic {
  message: string;
  code?: string | number;
  path?: (string | number)[];
  severity: number;
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

export interface ExchangeResult {
  /** `METHOD /template` of the matched operation */
  operation?: string;
  /** kind: security | body | query | path | header | route */
  request: { kind: string; text: string }[];
  response: string[];
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

function requestKind(d: Diagnostic): string {
  const first = d.path?.[0];
  if (first === 'query' || first === 'path' || first === 'header') return String(first);
  return 'body';
}

/**
 * Prism's operations of a document file, dereferenced once and cached in the temporary directory by content
 * hash: each e2e test file builds a validator, and dereferencing takes seconds where reading the cache takes
 * a fraction of one.
 */
async function cachedOperations(documentPath: string): Promise<IHttpOperation[]> {
  const text = readFileSync(documentPath, 'utf8');
  const cache = join(tmpdir(), `gia-prism-operations-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.json`);
  if (existsSync(cache)) {
    try {
      return JSON.parse(readFileSync(cache, 'utf8'));
    } catch {
      /* a partial or foreign file: rebuild it */
    }
  }
  const operations = await getHttpOperationsFromSpec(documentPath);
  const partial = `${cache}.${process.pid}`;
  writeFileSync(partial, JSON.stringify(operations));
  renameSync(partial, cache);
  return operations;
}

/** A validator bound to one document file. */
export function createExchangeValidator(documentPath: string): (exchange: Exchange) => Promise<ExchangeResult> {
  let resources: Promise<IHttpOperation[]> | undefined;
  return async (exchange) => {
    resources ??= cachedOperations(documentPath);
    const [rawPath, search = ''] = exchange.url.replace(/^https?:\/\/[^/]+/, '').split(/\?(.*)/s);
    // a trailing slash never changes a path (the service routes `PATH/` as `PATH`); Prism would read `PATH/`
    // as `PATH/{param}` with an empty parameter, or as no path at all
    const path = rawPath.length > 1 ? rawPath.replace(/\/+$/, '') : rawPath;
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
    const result: ExchangeResult = { request: [], response: [] };
    const matched = route({ resources: await resources, input });
    if (matched._tag === 'Left') {
      result.request.push({ kind: 'route', text: `${exchange.method.toUpperCase()} ${path}: ${matched.left.message}` });
      return result;
    }
    const resource = matched.right;
    const op = `${exchange.method.toUpperCase()} ${resource.path}`;
    result.operation = op;
    const security = validateSecurity({ resource, element: input });
    if (security._tag === 'Left') for (const d of security.left as Diagnostic[]) result.request.push({ kind: 'security', text: `${op}: ${d.message}` });
    const checked = validateInput({ resource, element: input });
    if (checked._tag === 'Left') {
      for (const d of checked.left as Diagnostic[]) result.request.push({ kind: requestKind(d), text: `${op}: ${(d.path ?? []).join('.')} ${d.message}` });
    }
    const output: IHttpResponse = { statusCode: exchange.status, headers: flatHeaders(exchange.responseHeaders), body: exchange.responseBody };
    const out = validateOutput({ resource, element: output });
    if (out._tag === 'Left') {
      for (const d of out.left as Diagnostic[]) {
        if (d.severity > 1) continue; // information and hints
        result.response.push(`${op} → ${exchange.status}: ${(d.path ?? []).join('.')} ${d.message} — body ${JSON.stringify(exchange.responseBody ?? null).slice(0, 200)}`);
      }
    }
    return result;
  };
}
