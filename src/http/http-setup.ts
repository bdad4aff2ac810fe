import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import { AppConfig } from '../config/config';
import { isScimPath, scimErrorBody } from '../common/scim-error-body';
import { ROOT_LOGGER } from './app-logger';
import { observeRequests } from './request-observer';

/**
 * Everything that depends on the HTTP adapter lives here: the RELATIVE_URL_ROOT rewrite, body parsing with
 * GitLab's limits and error bodies, and the request id, log line and metrics by route template of every request. Feature modules use only Nest
 * abstractions.
 */
export function configureHttp(app: INestApplication, config: AppConfig): void {
  const http = app as NestExpressApplication;
  http.disable('x-powered-by');
  http.set('query parser', 'extended');
  http.set('etag', false);

  if (config.relativeUrlRoot) {
    const prefix = config.relativeUrlRoot;
    http.use((req: express.Request, _res: express.Response, next: express.NextFunction) => {
      if (req.url === prefix || req.url.startsWith(prefix + '/') || req.url.startsWith(prefix + '?')) {
        req.url = req.url.slice(prefix.length) || '/';
      }
      next();
    });
  }

  http.use(observeRequests(app.get(ROOT_LOGGER)));

  const jsonTypes = ['application/json', 'application/scim+json', 'application/*+json'];
  // SCIM: 1 MiB; every other route: 50 MiB.
  http.use(/^\/api\/scim\//i, express.json({ limit: '1mb', type: jsonTypes }));
  // kas's legacy cilium_alert sends its body as a JSON string
  http.use(/^\/api\/v4\/internal\/kubernetes\/modules\/cilium_alert\/?$/i, express.json({ limit: '50mb', type: jsonTypes, strict: false }));
  http.use(express.json({ limit: '50mb', type: jsonTypes }));
  http.use(express.urlencoded({ limit: '50mb', extended: true, parameterLimit: 1_000_000 }));
  http.use(bodyErrors);
}

function bodyErrors(err: { type?: string; status?: number }, req: express.Request, res: express.Response, next: express.NextFunction): void {
  if (!err) return next();
  const scim = isScimPath(req.path);
  let status = 400;
  let body: unknown = { message: '400 Bad request - Invalid JSON body' };
  if (err.type === 'entity.too.large') {
    status = 413;
    body = scim ? scimErrorBody(413, 'Request Entity Too Large') : { message: '413 Request Entity Too Large' };
  } else if (scim) {
    body = scimErrorBody(400, 'Invalid JSON body', 'invalidSyntax');
  } else if (err.type !== 'entity.parse.failed') {
    body = { message: '400 Bad request - Invalid request body' };
  }
  res.status(status);
  res.setHeader('Content-Type', scim ? 'application/scim+json; charset=utf-8' : 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}
