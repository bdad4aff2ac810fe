import { INestApplication } from '@nestjs/common';
import { AbstractHttpAdapter } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type express from 'express';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { IncomingMessage } from 'node:http';
import qs from 'qs';
import { AppConfig } from '../config/config';
import { ROOT_LOGGER } from './app-logger';
import { BodyCredentialsGuard } from './body';
import { requestIdOf } from './logging';
import { observeFastifyRequests, observeRequests } from './request-observer';

/**
 * Everything that depends on the HTTP adapter lives here: the choice of adapter (HTTP_ADAPTER), the
 * RELATIVE_URL_ROOT rewrite, the query-string parser, trailing slashes, and the request id, log line and metrics by
 * route template of every request. Bodies are read by `body.ts` from the node stream after authentication, the
 * same way on both adapters. Feature modules use only Nest abstractions.
 */
export async function createHttpAdapter(config: AppConfig): Promise<AbstractHttpAdapter> {
  // each adapter is loaded only when chosen: an express service never loads fastify, nor a fastify one express
  if (config.httpAdapter === 'express') return new (await import('@nestjs/platform-express')).ExpressAdapter();
  const { FastifyAdapter } = await import('@nestjs/platform-fastify');
  return new FastifyAdapter({
    logger: false,
    routerOptions: {
      // express routes have no length limit on a path parameter (fastify's default answers 414 above 100 characters)
      maxParamLength: 65_535,
      // as express: `PATH/` is `PATH`, and paths match in any letter case
      ignoreTrailingSlash: true,
      caseSensitive: false,
      // express's "extended" query parser: `a[b]=1` and `a[]=1` nest
      querystringParser: (text: string) => qs.parse(text, { allowPrototypes: true }),
    },
    // express answers a path segment that does not decode from its route-parameter decoding
    frameworkErrors: (error: Error & { code?: string }, request: FastifyRequest, reply: FastifyReply) => {
      if (error.code !== 'FST_ERR_BAD_URL') return reply.send(error);
      const segment =
        (request.raw.url ?? '')
          .split('?')[0]
          .split('/')
          .find((part) => !decodes(part)) ?? '';
      return reply
        .code(400)
        .type('application/json; charset=utf-8')
        .send(JSON.stringify({ error: `Failed to decode param '${segment}'` }));
    },
    genReqId: (req: object) => requestIdOf((req as IncomingMessage).headers['x-request-id']),
    rewriteUrl: (req: { url?: string }) => withoutRoot(req.url ?? '/', config.relativeUrlRoot),
  });
}

function decodes(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

/** A request path served under RELATIVE_URL_ROOT, as the routes know it. */
function withoutRoot(url: string, prefix: string): string {
  if (!prefix) return url;
  if (url === prefix || url.startsWith(prefix + '/') || url.startsWith(prefix + '?')) return url.slice(prefix.length) || '/';
  return url;
}

/** The adapter-specific wiring, then the credential-body reader (a guard, the same on both adapters; bodies are read by `ReadBodyGuard`). */
export function configureHttp(app: INestApplication, config: AppConfig): void {
  if (config.httpAdapter === 'fastify') configureFastify(app as NestFastifyApplication);
  else configureExpress(app as NestExpressApplication, config);
  app.useGlobalGuards(new BodyCredentialsGuard());
}

function configureExpress(http: NestExpressApplication, config: AppConfig): void {
  http.disable('x-powered-by');
  http.set('query parser', 'extended');
  http.set('etag', false);
  if (config.relativeUrlRoot) {
    const prefix = config.relativeUrlRoot;
    http.use((req: express.Request, _res: express.Response, next: express.NextFunction) => {
      req.url = withoutRoot(req.url, prefix);
      next();
    });
  }
  http.use(observeRequests(http.get(ROOT_LOGGER)));
}

/** A media type fastify accepts: `type/subtype` of token characters. */
const MEDIA_TYPE = /^\s*[\w!#$%&'*+.^`|~-]+\/[\w!#$%&'*+.^`|~-]+\s*$/;

function configureFastify(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  // no body is parsed before the route's guards have run: every body stays in the request stream for body.ts
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', (_req: FastifyRequest, _payload: IncomingMessage, done: (err: Error | null, body?: unknown) => void) =>
    done(null),
  );
  matchLikeExpress(fastify);
  observeFastifyRequests(fastify, app.get(ROOT_LOGGER));
  // express reads no body of a malformed Content-Type and runs the route; fastify would answer 415 first, so the
  // header is out of its sight until the route's hooks run
  const malformedTypes = new WeakMap<FastifyRequest, string>();
  fastify.addHook('onRequest', (request: FastifyRequest, _reply: FastifyReply, done: () => void) => {
    const type = request.raw.headers['content-type'];
    if (type !== undefined && !MEDIA_TYPE.test(type.split(';')[0])) {
      malformedTypes.set(request, type);
      delete request.raw.headers['content-type'];
    }
    done();
  });
  fastify.addHook('preValidation', (request: FastifyRequest, _reply: FastifyReply, done: () => void) => {
    const type = malformedTypes.get(request);
    if (type !== undefined) request.raw.headers['content-type'] = type;
    done();
  });
}

/**
 * As on express, a route declared for a path and method already taken is not reached for that method: an
 * `@All()` fallback registered after a controller's routes (SCIM's 405 answers) takes only the methods left, and
 * never HEAD where GET is declared (HEAD runs the GET route). Fastify itself refuses a second declaration.
 */
function matchLikeExpress(fastify: FastifyInstance): void {
  const declared = new Map<string, Set<string>>();
  fastify.addHook('onRoute', (route: RouteOptions) => {
    // a named trailing wildcard (`api/scim/*path`) is fastify's anonymous one
    route.url = route.url.replace(/\*[A-Za-z_]\w*$/, '*');
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const key = route.url.toLowerCase().replace(/\/+$/, '');
    const seen = declared.get(key) ?? new Set<string>();
    declared.set(key, seen);
    // fastify's own HEAD route for a GET route
    if (methods.length === 1 && methods[0] === 'HEAD' && seen.has('GET')) return;
    const left = methods.filter((method) => !seen.has(method));
    if (left.length > 0 && left.length < methods.length) route.method = left;
    for (const method of left) seen.add(method);
    if (left.includes('GET')) seen.add('HEAD');
  });
}
