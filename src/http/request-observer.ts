import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { observeHttpRequest } from '../instance/metrics';
import { isUnloggedPath, logRequest, requestIdOf } from './logging';

type ObservedRequest = IncomingMessage & { id?: string; originalUrl?: string; route?: { path?: unknown } };

/** The `route` label: the Nest route template, or `unmatched` (Nest answers unknown routes from a catch-all `{/*splat}` route). */
export function routeLabel(template: unknown): string {
  return typeof template === 'string' && template !== '' && !template.includes('*') ? template : 'unmatched';
}

/**
 * Express middleware, first in the chain: gives the request its id (`X-Request-Id`, echoed in the answer and set
 * as `req.id`), and once the answer is written records its duration by route template and writes its one log
 * line. One listener per request; no per-request logger.
 */
export function observeRequests(logger: Logger) {
  return (req: ObservedRequest, res: ServerResponse, next: () => void): void => {
    const start = performance.now();
    const id = requestIdOf(req.headers['x-request-id']);
    req.id = id;
    res.setHeader('X-Request-Id', id);
    const logged = !isUnloggedPath(req.url ?? '');
    res.once('close', () => {
      const durationMs = performance.now() - start;
      const route = routeLabel(req.route?.path);
      const finished = res.writableFinished;
      if (finished) observeHttpRequest(req.method ?? 'GET', route, res.statusCode, durationMs / 1000);
      if (!logged) return;
      logRequest(logger, {
        id,
        method: req.method ?? 'GET',
        url: req.originalUrl ?? req.url ?? '',
        route,
        status: res.statusCode,
        durationMs,
        remoteAddress: req.socket?.remoteAddress,
        aborted: !finished,
        headers: () => ({ request: req.headers, response: res.getHeaders() }),
      });
    });
    next();
  };
}

/** What the fastify hooks below read of fastify's request and reply (kept structural: only `src/http/` knows fastify). */
interface FastifyLikeRequest {
  id: string;
  method: string;
  url: string;
  originalUrl?: string;
  routeOptions?: { url?: string };
  headers: IncomingMessage['headers'];
  raw: IncomingMessage;
}
interface FastifyLikeReply {
  statusCode: number;
  elapsedTime: number;
  raw: ServerResponse;
  getHeaders(): Record<string, unknown>;
}
type FastifyLikeHook = (request: FastifyLikeRequest, reply: FastifyLikeReply, done: () => void) => void;

/**
 * The same for fastify (its `genReqId` makes the id with `requestIdOf`): `X-Request-Id` on the answer, then on
 * `onResponse` the duration by route template and the one log line.
 */
export function observeFastifyRequests(
  fastify: { addHook(name: 'onRequest' | 'onResponse', hook: FastifyLikeHook): unknown },
  logger: Logger,
): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.raw.setHeader('X-Request-Id', request.id);
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = routeLabel(request.routeOptions?.url);
    observeHttpRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    if (!isUnloggedPath(request.url)) {
      logRequest(logger, {
        id: request.id,
        method: request.method,
        url: request.originalUrl ?? request.url,
        route,
        status: reply.statusCode,
        durationMs: reply.elapsedTime,
        remoteAddress: request.raw.socket?.remoteAddress,
        headers: () => ({ request: request.headers, response: reply.getHeaders() }),
      });
    }
    done();
  });
}
