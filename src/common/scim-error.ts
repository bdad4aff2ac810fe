/** SCIM error body (RFC 7644 §3.12), used by the global filter for anything under /api/scim. */
export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

export function isScimPath(path: string): boolean {
  return /(^|\/)api\/scim(\/|$)/i.test(path);
}

export function scimErrorBody(status: number, detail: string, scimType?: string): Record<string, unknown> {
  return {
    schemas: [SCIM_ERROR_SCHEMA],
    ...(scimType ? { scimType } : {}),
    detail,
    status: String(status),
  };
}
