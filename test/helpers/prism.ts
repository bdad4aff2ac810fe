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
 * On in CI (CI=true, as .ci/run sets) and with PRISM_VALIDATION=1; off otherwise or with PRISM_VALIDATION=0 (it
 * costs one to four seconds per test file). The ajv check of test/helpers/contract.ts runs either way. Prism
 * itself is loaded on the first exchange to validate: with validation off, a test file never pays its load time
 * (a second and a half of CPU per file). After a build, each jest worker loads it once for all its test files
 * (test/setup/environment.js).
 */
import type { Middleware } from 'openapi-fetch';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Exchange, ExchangeResult } from '../../src/contract/validator';

const root = join(__dirname, '..', '..');
export const prismEnabled = process.env.PRISM_VALIDATION ? process.env.PRISM_VALIDATION !== '0' : process.env.CI === 'true';
export type { Exchange };

export interface AllowEntry {
  /** test file relative to the repository root */
  file: string;
  /** kind of request violation: security | body | query | path | header | route | unparseable */
  kind: string;
  /** optional `METHOD /template` the entry is limited to */
  operation?: string;
  reason: string;
}

export const prismResponseViolations: string[] = [];
export const prismRequestViolations: string[] = [];
const pending: Promise<void>[] = [];
let allowList: AllowEntry[] | undefined;
let validator: ((exchange: Exchange) => Promise<ExchangeResult>) | undefined;

/** Set by test/setup/environment.js: the validator this jest worker shares among its test files. */
declare const __giaPrismValidate: ((exchange: Exchange) => Promise<ExchangeResult>) | undefined;

function validate(exchange: Exchange): Promise<ExchangeResult> {
  if (typeof __giaPrismValidate === 'function') {
    try {
      return __giaPrismValidate(exchange);
    } catch {
      /* a body that structured clone cannot copy: validated in this file */
    }
  }
  validator ??= (require('../../src/contract/validator') as typeof import('../../src/contract/validator')).createExchangeValidator(
    join(root, 'openapi', 'openapi.json'),
  );
  return validator(exchange);
}

export function loadAllowList(): AllowEntry[] {
  allowList ??= JSON.parse(readFileSync(join(root, 'test', 'contract', 'request-violations.allow.json'), 'utf8')).entries;
  return allowList!;
}

/** Validates one exchange; the result lands in the violation lists (see `awaitPrismChecks`). */
export function validateExchange(exchange: Exchange, testFile: string): Promise<void> {
  const file = relative(root, testFile);
  const task = validate(exchange).then(
    (result) => {
      if (capture && result.operation && result.response.length === 0) captureExample(result.operation, exchange);
      prismResponseViolations.push(...result.response.map((r) => `${file}: ${r}`));
      for (const r of result.request) {
        const allowed = loadAllowList().some((e) => e.file === file && e.kind === r.kind && (!e.operation || e.operation === result.operation));
        if (!allowed) prismRequestViolations.push(`${file}: [${r.kind}] ${r.text}`);
      }
    },
    (err: Error) => {
      // Prism could not read the exchange at all (a malformed Content-Type, a path that does not decode)
      if (loadAllowList().some((e) => e.file === file && e.kind === 'unparseable')) return;
      prismResponseViolations.push(`${file}: validator error: ${err.message}`);
    },
  );
  pending.push(task);
  return task;
}

/** Waits for the validations still running, then saves the examples captured (CAPTURE_EXAMPLES=1). */
export async function awaitPrismChecks(): Promise<void> {
  while (pending.length) await Promise.all(pending.splice(0));
  if (capture && Object.keys(captured).length) {
    const file = join(root, 'openapi', 'examples.json');
    const saved: Record<string, Record<string, unknown>> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
    for (const [op, byStatus] of Object.entries(captured)) for (const [status, body] of Object.entries(byStatus)) (saved[op] ??= {})[status] ??= body;
    const { sortKeys } = require('../../src/scripts/sync-openapi') as typeof import('../../src/scripts/sync-openapi');
    writeFileSync(file, JSON.stringify(sortKeys(saved), null, 2) + '\n');
  }
}

/**
 * CAPTURE_EXAMPLES=1: the first JSON answer per operation and status that Prism found valid is kept as that
 * response's example (openapi/examples.json, merged into the document by `npm run openapi`). Run it with one
 * worker (`-w 1`); entries already saved are kept.
 */
const capture = process.env.CAPTURE_EXAMPLES === '1';
const captured: Record<string, Record<string, unknown>> = {};

function captureExample(operation: string, exchange: Exchange): void {
  const type = String(exchange.responseHeaders['content-type'] ?? '');
  if (!/json/.test(type) || exchange.responseBody === undefined || exchange.responseBody === '') return;
  const [method, template] = operation.split(' ');
  const key = `${method.toLowerCase()} ${template}`;
  (captured[key] ??= {})[String(exchange.status)] ??= exchange.responseBody;
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
