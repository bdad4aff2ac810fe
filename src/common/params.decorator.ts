import { createParamDecorator, ExecutionContext } from '@nestjs/common';

export type RawParams = Record<string, unknown>;

/**
 * The request's parameters as GitLab sees them: the query string merged with a JSON or form body, the body
 * winning on a name both carry (common.md §1). Values are raw; coerce them with the helpers of `coerce.ts`.
 */
export const Params = createParamDecorator((_data: unknown, ctx: ExecutionContext): RawParams => {
  const request = ctx.switchToHttp().getRequest<{ query?: unknown; body?: unknown }>();
  return mergeParams(request.query, request.body);
});

export function mergeParams(query: unknown, body: unknown): RawParams {
  const merged: RawParams = {};
  if (query && typeof query === 'object') Object.assign(merged, query);
  if (body && typeof body === 'object' && !Array.isArray(body) && !Buffer.isBuffer(body)) Object.assign(merged, body);
  return merged;
}
