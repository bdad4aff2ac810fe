import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, UseInterceptors } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { map, Observable } from 'rxjs';
import { APP_CONFIG, AppConfig } from '../config/config';
import { paramError } from './api-error';
import { intParam, INVALID } from './coerce';

export interface PageRequest {
  page: number;
  perPage: number;
  offset: number;
}

/** Reads `page` / `per_page`: defaults 1 / 20, clamped, non-integers rejected. */
export function pageRequest(params: { page?: unknown; per_page?: unknown }): PageRequest {
  const page = intParam(params.page);
  const perPage = intParam(params.per_page);
  const errors: string[] = [];
  if (page === INVALID) errors.push('page is invalid');
  if (perPage === INVALID) errors.push('per_page is invalid');
  if (errors.length) throw paramError(...errors);
  const p = page === undefined || (page as number) < 1 ? 1 : (page as number);
  let pp = perPage === undefined || (perPage as number) < 1 ? 20 : (perPage as number);
  if (pp > 100) pp = 100;
  return { page: p, perPage: pp, offset: (p - 1) * pp };
}

/** A page of a list answer; the pagination interceptor turns it into the array plus GitLab's headers. */
export class Paginated<T> {
  constructor(
    readonly items: T[],
    readonly request: PageRequest,
    readonly total: number,
  ) {}

  /** Serialised only when its controller lacks `@Paginates()`: a loud failure rather than a wrong body. */
  toJSON(): never {
    throw new Error('a Paginated answer needs @Paginates() on its controller');
  }
}

export function paginationHeaders(
  request: PageRequest,
  total: number,
  baseUrl: string,
  path: string,
  query: Record<string, unknown>,
): Record<string, string> {
  const { page, perPage } = request;
  const totalPages = Math.max(1, Math.ceil(total / perPage));
  const link = (p: number) => {
    const q: Record<string, string> = {};
    for (const [k, v] of Object.entries(query)) if (typeof v === 'string') q[k] = v;
    q.page = String(p);
    q.per_page = String(perPage);
    const qs = Object.keys(q)
      .sort()
      .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(q[k])}`)
      .join('&');
    return `${baseUrl}${path}?${qs}`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`<${link(page - 1)}>; rel="prev"`);
  if (page < totalPages) links.push(`<${link(page + 1)}>; rel="next"`);
  links.push(`<${link(1)}>; rel="first"`);
  links.push(`<${link(totalPages)}>; rel="last"`);
  return {
    'X-Page': String(page),
    'X-Per-Page': String(perPage),
    'X-Total': String(total),
    'X-Total-Pages': String(totalPages),
    'X-Next-Page': page < totalPages ? String(page + 1) : '',
    'X-Prev-Page': page > 1 ? String(page - 1) : '',
    Link: links.join(', '),
  };
}

@Injectable()
export class PaginationInterceptor implements NestInterceptor {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((result) => {
        if (!(result instanceof Paginated)) return result;
        const http = context.switchToHttp();
        const req = http.getRequest<{ url: string; query?: Record<string, unknown> }>();
        const path = req.url.split('?')[0];
        const headers = paginationHeaders(result.request, result.total, this.config.externalUrl, path, req.query ?? {});
        const res = http.getResponse();
        for (const [k, v] of Object.entries(headers)) this.adapterHost.httpAdapter.setHeader(res, k, v);
        return result.items;
      }),
    );
  }
}

/**
 * On a controller whose routes may answer a `Paginated`: the list becomes the body and the pagination headers are
 * set. Only such controllers carry the interceptor, so the other routes run without an interceptor pipeline.
 */
export const Paginates = (): ClassDecorator & MethodDecorator => UseInterceptors(PaginationInterceptor);
