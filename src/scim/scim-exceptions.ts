/** The errors SCIM routes throw, as `ApiError`s carrying the SCIM error body (the global filter writes them unchanged). */
import { ApiError } from '../common/api-error';
import { scimErrorBody } from '../common/scim-error-body';

/** A SCIM error (RFC 7644): `status` as a string, `scimType` only when given. */
export const scimError = (status: number, detail: string, scimType?: string, headers: Record<string, string> = {}) =>
  new ApiError(status, scimErrorBody(status, detail, scimType), headers);

/** E1: GitLab's `message` key plus the SCIM error keys. */
export const scimUnauthorized = () => new ApiError(401, { message: '401 Unauthorized', ...scimErrorBody(401, '401 Unauthorized') });

export const scimNotFound = (detail: string) => scimError(404, detail);

export const resourceNotFound = (id: string) => scimError(404, `Resource ${id} not found`);

export const invalidValue = (detail: string) => scimError(400, detail, 'invalidValue');

export const uniqueness = (detail: string) => scimError(409, detail, 'uniqueness');

export const methodNotAllowed = (allow: string) => scimError(405, '405 Method Not Allowed', undefined, { Allow: allow });

export const BODY_NOT_OBJECT = 'Request body must be a JSON object';
