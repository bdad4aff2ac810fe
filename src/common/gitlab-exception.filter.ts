import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiError, ROUTE_NOT_FOUND_BODY } from './api-error';
import { DATABASE_RETRY_AFTER_SECONDS, DatabaseOutage, isDatabaseUnavailable } from './db-outage';
import { isScimPath, scimErrorBody } from './scim-error-body';

const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

/**
 * Owns the wire format of every error: GitLab shapes everywhere, the SCIM error schema under
 * /api/scim. Unexpected errors become a bare 500 and are logged with the request id, never shown.
 */
@Catch()
export class GitlabExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly outage?: DatabaseOutage,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = this.adapterHost.httpAdapter;
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<{ url?: string; originalUrl?: string; id?: unknown }>();
    const response = ctx.getResponse();
    const path = (request.originalUrl ?? request.url ?? '').split('?')[0];
    const { status, body, headers } = this.render(exception, path, request.id);
    for (const [name, value] of Object.entries(headers)) http.setHeader(response, name, value);
    if (isScimPath(path)) http.setHeader(response, 'Content-Type', SCIM_CONTENT_TYPE);
    http.reply(response, body, status);
  }

  private render(exception: unknown, path: string, requestId: unknown): { status: number; body: unknown; headers: Record<string, string> } {
    const scim = isScimPath(path);
    if (exception instanceof ApiError) {
      return { status: exception.status, body: exception.body, headers: exception.headers };
    }
    if (isDatabaseUnavailable(exception)) {
      // logged once per outage (start and end), not per request
      this.outage?.requestFailed(exception);
      return {
        status: 503,
        body: scim ? scimErrorBody(503, 'Service Unavailable') : { message: '503 Service Unavailable' },
        headers: { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) },
      };
    }
    const sqlState = dataExceptionCode(exception);
    if (sqlState) {
      // input the database cannot take (a NUL character, a value out of range or too long) is the client's error
      this.logger.warn({ requestId, sqlState }, 'request data rejected by the database');
      return {
        status: 400,
        body: scim ? scimErrorBody(400, 'Invalid value', 'invalidValue') : { message: '400 Bad request - Invalid parameter value' },
        headers: {},
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 404) {
        // Nest raises NotFoundException only for a route it does not know: GitLab's catch-all answer.
        return { status, body: scim ? scimErrorBody(404, 'Not found') : ROUTE_NOT_FOUND_BODY, headers: {} };
      }
      const message = flattenMessage(exception.getResponse());
      if (scim) return { status, body: scimErrorBody(status, message), headers: {} };
      if (status === 400) return { status, body: { error: message }, headers: {} };
      if (status === 401) return { status, body: { message: '401 Unauthorized' }, headers: {} };
      if (status === 403) return { status, body: { message: '403 Forbidden' }, headers: {} };
      if (status === 413) return { status, body: { message: '413 Request Entity Too Large' }, headers: {} };
      if (status === 503) return { status, body: { message: '503 Service Unavailable' }, headers: {} };
      if (status < 500) return { status, body: { message: `${status} ${message}` }, headers: {} };
    }
    this.logger.error({ err: exception, requestId }, 'unhandled error');
    return {
      status: 500,
      body: scim ? scimErrorBody(500, 'Internal Server Error') : { message: '500 Internal Server Error' },
      headers: {},
    };
  }
}

/** PostgreSQL "data exception" (SQLSTATE class 22) of a failed query, if that is what this is. */
function dataExceptionCode(exception: unknown): string | null {
  const e = exception as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code) ? code : null;
}

function flattenMessage(response: string | object): string {
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join(', ');
  if (typeof message === 'string') return message;
  return 'Error';
}
