import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { stdSerializers } from 'pino';
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

type LoggedRequest = { id: unknown; method: string; url: string; headers: Record<string, unknown>; remoteAddress?: string };
type LoggedResponse = { statusCode: number; headers?: Record<string, unknown> };

/** The request as logged: no query/params/body objects, credentials filtered from headers and URL. */
export function serializeRequest(req: LoggedRequest): Record<string, unknown> {
  return { id: req.id, method: req.method, url: redactUrl(String(req.url ?? '')), headers: redactHeaders(req.headers), remoteAddress: req.remoteAddress };
}

export function serializeResponse(res: LoggedResponse): Record<string, unknown> {
  return { statusCode: res.statusCode, headers: redactHeaders(res.headers) };
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

/**
 * JSON logs with the request id on every line and every credential redacted. `stream` replaces standard output
 * as the destination (tests read the log output through it).
 */
export function loggerParams(config: AppConfig, stream?: DestinationStream): Params {
  const options = {
    level: config.logLevel,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const incoming = req.headers['x-request-id'];
      const id = (Array.isArray(incoming) ? incoming[0] : incoming)?.slice(0, 128) || randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customAttributeKeys: { reqId: 'request_id' },
    serializers: { req: serializeRequest, res: serializeResponse, err: serializeError },
    autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/-/') },
  };
  return { pinoHttp: stream ? [options, stream] : options };
}
