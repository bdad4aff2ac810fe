/** URNs and wire constants */
export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const SERVICE_PROVIDER_CONFIG_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
export const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';
export const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';


/** Canonical base paths. */
export const SCIM_GROUP_BASE = 'api/scim/v2/groups/:group_path';
export const SCIM_INSTANCE_BASE = 'api/scim/v2/application';

/** Strips the core User schema URN prefix (any letter case) from an attribute path. */
export function stripUserUrn(path: string): string {
  const prefix = `${USER_SCHEMA}:`;
  return path.length > prefix.length && path.slice(0, prefix.length).toLowerCase() === prefix.toLowerCase()
    ? path.slice(prefix.length)
    : path;
}
