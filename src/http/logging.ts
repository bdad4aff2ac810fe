import { randomUUID } from 'node:crypto';
import pino, { DestinationStream, Logger, stdSerializers } from 'pino';
import { AppConfig } from '../config/config';

export const FILTERED = '[FILTERED]';

/**
 * Request and response headers that carry credentials, whether the product reads them or not (a client may send
 * the billing portal doc's `TOKEN:` header, a CI `Job-Token`, a proxy's `Proxy-Authorization`, a webhook's
 * `X-Gitlab-Token`): never logged.
 */
const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'private-token',
  'job-token',
  'token',
  'x-gitlab-token',
  'gitlab-shell-api-request',
  'gitlab-kas-api-request',
  'gitlab-agentk-api-request',
  'gitlab-workhorse-api-request',
  'gitlab-shared-secret',
  'gitlab-error-tracking-token',
  'x-sentry-auth',
  'x-api-key',
]);

/** A header name that is, or looks like, a credential's carrier: its value is never logged. */
export function isSecretHeader(name: string): boolean {
  const n = name.toLowerCase();
  return (
    SECRET_HEADERS.has(n) ||
    n.includes('token') ||
    n.includes('secret') ||
    n.includes('password') ||
    n.includes('auth') ||
    n.includes('cookie') ||
    n.includes('session') ||
    n.includes('api-request') ||
    n.includes('api-key') ||
    n.includes('apikey') ||
    n.includes('signature') ||
    n.includes('credential')
  );
}

/** Parameter names that are never logged: `*token*`, `*secret*`, `*password*`, `otp*`, `key`, `*_key`, `credit_card_*`. */
export function isSecretParam(name: string): boolean {
  const n = name.toLowerCase();
  return (
    n.includes('token') ||
    n.includes('secret') ||
    n.includes('password') ||
    n.startsWith('otp') ||
    n === 'key' ||
    n.endsWith('_key') ||
    n.startsWith('credit_card_') ||
    n === 'authorization' ||
    n === 'cookie'
  );
}

/** Headers whose value is a URL (or, for `Link`, a list of `<URL>`s) that may carry a secret query parameter. */
const URL_HEADERS = new Set(['link', 'location', 'content-location', 'referer', 'origin', 'x-original-url', 'x-rewrite-url']);

function redactHeaderValue(name: string, value: unknown): unknown {
  if (isSecretHeader(name)) return FILTERED;
  if (!URL_HEADERS.has(name.toLowerCase())) return value;
  const redact = (text: string) => (text.includes('<') ? text.replace(/<([^>]*)>/g, (_m, url: string) => `<${redactUrl(url)}>`) : redactUrl(text));
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? redact(v) : v));
  return value;
}

/**
 * A copy of `headers` with the value of every credential-bearing header replaced by `[FILTERED]`, and secret
 * query parameters filtered from URL-valued headers (a pagination `Link` repeats the request's query string).
 */
export function redactHeaders(headers: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!headers || typeof headers !== 'object') return headers;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = redactHeaderValue(name, value);
  return out;
}

/** Whether a query pair's name, decoded, names a secret at any level (`private_token`, `user[password]`). */
function isSecretQueryName(rawName: string): boolean {
  let name = rawName;
  try {
    name = decodeURIComponent(rawName.replace(/\+/g, ' '));
  } catch {
    /* keep the raw name */
  }
  return name
    .split(/[[\]]/)
    .filter((part) => part !== '')
    .some(isSecretParam);
}

/** A URL with the values of secret query parameters replaced by `[FILTERED]`. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const hash = url.indexOf('#', q);
  const query = hash < 0 ? url.slice(q + 1) : url.slice(q + 1, hash);
  const params = query.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    return eq >= 0 && isSecretQueryName(rawName) ? `${rawName}=${FILTERED}` : pair;
  });
  return `${url.slice(0, q)}?${params.join('&')}`;
}

/** An error as logged: a database error keeps its query text but never its bound parameter values. */
export function serializeError(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const out = stdSerializers.err(err) as unknown as Record<string, unknown>;
  delete out.parameters;
  const driverError = out.driverError;
  if (driverError && typeof driverError === 'object') {
    const { parameters: _dropped, ...rest } = driverError as Record<string, unknown>;
    out.driverError = rest;
  }
  return out;
}

/** The process's pino logger: JSON lines; a logged `err` keeps a database error's query but not its parameter values. */
export function createRootLogger(config: AppConfig, stream?: DestinationStream): Logger {
  const options = { level: config.logLevel, serializers: { err: serializeError } };
  return stream ? pino(options, stream) : pino(options);
}

/** The request's id: its `X-Request-Id` (first 128 characters) when it has one, else a new UUID. */
export function requestIdOf(incoming: string | string[] | undefined): string {
  return (Array.isArray(incoming) ? incoming[0] : incoming)?.slice(0, 128) || randomUUID();
}

/** What one answered request leaves in the request log line. */
export interface RequestFacts {
  id: string;
  method: string;
  /** The URL as the client sent it (before any RELATIVE_URL_ROOT rewrite); its secret parameters are filtered. */
  url: string;
  /** The route template (`/api/v4/internal/allowed`), `unmatched` when no route answered. */
  route: string;
  status: number;
  durationMs: number;
  remoteAddress?: string;
  /** Whether the client went away before the answer was written. */
  aborted?: boolean;
  /** Request and response headers, read only when the line includes them (debug level). */
  headers?: () => { request: Record<string, unknown>; response: Record<string, unknown> };
}

/** Paths of the probes and metrics, answered many times a minute and never logged. */
export const isUnloggedPath = (url: string): boolean => url.startsWith('/-/');

/**
 * Writes the one line of an answered request: id, method, redacted URL, route template, status and duration in
 * milliseconds; `request errored` at error level for a 5xx other than 503 or an aborted request, a 503 at warn level. Headers (redacted) are added
 * only at debug level, where their cost is wanted. Nothing is built when the level is off.
 */
export function logRequest(logger: Logger, facts: RequestFacts): void {
  // a 503 is a deliberate answer (database outage, draining, time budget): its cause is logged once, where it is known
  const unavailable = facts.status === 503 && facts.aborted !== true;
  const failed = (facts.status >= 500 && !unavailable) || facts.aborted === true;
  if (!logger.isLevelEnabled(failed ? 'error' : unavailable ? 'warn' : 'info')) return;
  const headers = logger.isLevelEnabled('debug') ? facts.headers?.() : undefined;
  const line = {
    request_id: facts.id,
    req: {
      id: facts.id,
      method: facts.method,
      url: redactUrl(facts.url),
      remoteAddress: facts.remoteAddress,
      ...(headers ? { headers: redactHeaders(headers.request) } : {}),
    },
    res: { statusCode: facts.status, ...(headers ? { headers: redactHeaders(headers.response) } : {}) },
    route: facts.route,
    responseTime: Math.round(facts.durationMs * 1000) / 1000,
  };
  if (facts.aborted) logger.error(line, 'request aborted');
  else if (failed) logger.error(line, 'request errored');
  else if (unavailable) logger.warn(line, 'request answered 503');
  else logger.info(line, 'request completed');
}
