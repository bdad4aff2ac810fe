import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { map, Observable } from 'rxjs';
import { SCIM_CONTENT_TYPE } from './scim.constants';
import { ScimQuery } from './scim-list-query';

/**
 * Every SCIM answer with a body is `application/scim+json; charset=utf-8`; a created resource also
 * carries `Location` = its `meta.location`. A 204 (no body) gets neither.
 */
@Injectable()
export class ScimResponseInterceptor implements NestInterceptor {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = this.adapterHost.httpAdapter;
    const request = context.switchToHttp().getRequest<{ method?: string }>();
    const response = context.switchToHttp().getResponse();
    return next.handle().pipe(
      map((body: unknown) => {
        if (body === undefined || body === null) return body;
        http.setHeader(response, 'Content-Type', SCIM_CONTENT_TYPE);
        const location = (body as { meta?: { location?: unknown } }).meta?.location;
        if (request.method === 'POST' && typeof location === 'string') http.setHeader(response, 'Location', location);
        return body;
      }),
    );
  }
}

function first(value: unknown): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' ? v : undefined;
}

/** The SCIM query parameters (exact names, first occurrence, strings only:). */
export function scimQuery(raw: Record<string, unknown> | undefined): ScimQuery {
  const q = raw ?? {};
  return {
    filter: first(q.filter),
    startIndex: first(q.startIndex),
    count: first(q.count),
    attributes: first(q.attributes),
    excludedAttributes: first(q.excludedAttributes),
  };
}
