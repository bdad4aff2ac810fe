import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Params } from 'nestjs-pino';
import { AppConfig } from '../config/config';

const REDACTED_HEADERS = [
  'authorization',
  'private-token',
  'gitlab-shell-api-request',
  'gitlab-kas-api-request',
  'gitlab-agentk-api-request',
  'gitlab-shared-secret',
  'gitlab-error-tracking-token',
  'cookie',
];

/** Parameter names that are never logged (common.md §3). */
export function isSecretParam(name: string): boolean {
  const n = name.toLowerCase();
  return (
    n.includes('token') ||
    n.startsWith('secret') ||
    n === 'password' ||
    n.startsWith('otp') ||
    n === 'key' ||
    n.endsWith('_key') ||
    n.startsWith('credit_card_')
  );
}

/** A URL with the values of secret query parameters replaced by `[FILTERED]`. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawName = eq < 0 ? pair : pair.slice(0, eq);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        /* keep the raw name */
      }
      return eq >= 0 && isSecretParam(name.replace(/\[\]$/, '')) ? `${rawName}=[FILTERED]` : pair;
    });
  return `${url.slice(0, q)}?${params.join('&')}`;
}

/** JSON logs with the request id on every line and every credential redacted. */
export function loggerParams(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const incoming = req.headers['x-request-id'];
        const id = (Array.isArray(incoming) ? incoming[0] : incoming)?.slice(0, 128) || randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      customAttributeKeys: { reqId: 'request_id' },
      redact: { paths: REDACTED_HEADERS.map((h) => `req.headers["${h}"]`), censor: '[FILTERED]' },
      serializers: {
        req(req: { id: unknown; method: string; url: string; headers: Record<string, unknown>; remoteAddress?: string }) {
          return { id: req.id, method: req.method, url: redactUrl(req.url), headers: req.headers, remoteAddress: req.remoteAddress };
        },
      },
      autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/-/') },
    },
  };
}
