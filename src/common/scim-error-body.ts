/**
 * The wire shape of a SCIM error (RFC 7644 §3.12) and the paths that answer with it: what the global exception
 * filter needs to write errors under /api/scim. The errors SCIM routes throw are built in `scim/scim-exceptions.ts`.
 */
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
