import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { observeHttpRequest } from '../instance/metrics';
import { isUnloggedPath, logRequest, requestIdOf } from './logging';

type ObservedRequest = IncomingMessage & { id?: string; originalUrl?: string; route?: { path?: unknown } };

/** The route template express matched; Nest answers unknown routes from a catch-all `{/*splat}` route. */
export function expressRouteTemplate(req: ObservedRequest): string {
  const template = req.route?.path;
  return typeof template === 'string' && !template.includes('*') ? template : 'unmatched';
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
      const route = expressRouteTemplate(req);
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
