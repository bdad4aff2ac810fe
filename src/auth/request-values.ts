/** Reading credentials from a request without depending on the HTTP adapter. */
export interface CredentialRequest {
  headers: Record<string, string | string[] | undefined>;
  query?: Record<string, unknown>;
  body?: unknown;
}

/** A header's value, or undefined when absent or empty (clarification 4: empty counts as absent). */
export function header(request: CredentialRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  const text = Array.isArray(value) ? value[0] : value;
  return text && text.trim() !== '' ? text : undefined;
}

/** A parameter from the body, else the query (own properties only); undefined when absent or empty. */
export function param(request: CredentialRequest, name: string): string | undefined {
  const own = (source: unknown) => (source && typeof source === 'object' && Object.hasOwn(source, name) ? (source as Record<string, unknown>)[name] : undefined);
  const body = own(request.body);
  const value = body !== undefined && body !== null ? body : own(request.query);
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  return value;
}

/** The token of `Authorization: Bearer <token>`. */
export function bearer(request: CredentialRequest): string | undefined {
  const value = header(request, 'authorization');
  const m = value ? /^Bearer\s+(\S+)\s*$/i.exec(value) : null;
  return m ? m[1] : undefined;
}
