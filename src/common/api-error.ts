/**
 * Domain errors carry the exact GitLab-shaped body they render as. Services throw them; the global filter
 * writes them unchanged. Helpers below build the common shapes
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === 'object' && body && 'message' in body ? String((body as { message: unknown }).message) : `HTTP ${status}`);
  }
}

export const unauthorized = (message = '401 Unauthorized') => new ApiError(401, { message });

export const forbidden = (reason?: string) =>
  new ApiError(403, { message: reason ? `403 Forbidden - ${reason}` : '403 Forbidden' });

/** `404 <Resource> Not Found`, or the bare `404 Not Found`. */
export const notFound = (resource?: string) =>
  new ApiError(404, { message: resource ? `404 ${resource} Not Found` : '404 Not Found' });

/** GitLab's lower-case RecordNotFound answer `404 Not found`. */
export const recordNotFound = () => new ApiError(404, { message: '404 Not found' });

export const badRequest = (reason: string) => new ApiError(400, { message: `400 Bad request - ${reason}` });

/** Grape-style parameter errors: `{"error":"a is missing, b is invalid"}`. */
export const paramError = (...errors: string[]) => new ApiError(400, { error: errors.join(', ') });

/** Model validation: `{"message":{"attr":["error"]}}`. */
export const modelError = (errors: Record<string, string[]>) => new ApiError(400, { message: errors });

export const conflict = (message: string) => new ApiError(409, { message });

export const unprocessable = (message = '422 Unprocessable Entity') => new ApiError(422, { message });

export const accepted = () => ({ message: '202 Accepted' });

/** The catch-all answer for an unknown route or method under /api/v4. */
export const ROUTE_NOT_FOUND_BODY = { error: '404 Not Found' };

/** The OpenAPI content of a `{"message": …}` answer, for `@Api…Response({ description, ...messageSchema(example) })`. */
export const messageSchema = (example: string) => ({
  schema: { type: 'object' as const, properties: { message: { type: 'string' as const, example } }, required: ['message'] },
});
