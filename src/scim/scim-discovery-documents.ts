import { LIST_RESPONSE_SCHEMA, RESOURCE_TYPE_SCHEMA, SCHEMA_SCHEMA, SERVICE_PROVIDER_CONFIG_SCHEMA, USER_SCHEMA } from './scim.constants';

/** RFC 7644 §4 discovery documents, built for one scope's absolute base URL. */
export function serviceProviderConfig(baseUrl: string) {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: 100 },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'Authentication scheme using the OAuth Bearer Token Standard',
        specUri: 'https://www.rfc-editor.org/info/rfc6750',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}

const attribute = (
  name: string,
  type: string,
  description: string,
  extra: {
    multiValued?: boolean;
    required?: boolean;
    mutability?: string;
    uniqueness?: string;
    canonicalValues?: string[];
    subAttributes?: unknown[];
  } = {},
) => ({
  name,
  type,
  multiValued: extra.multiValued ?? false,
  description,
  required: extra.required ?? false,
  caseExact: false,
  ...(extra.canonicalValues ? { canonicalValues: extra.canonicalValues } : {}),
  mutability: extra.mutability ?? 'immutable',
  returned: 'default',
  uniqueness: extra.uniqueness ?? 'none',
  ...(extra.subAttributes ? { subAttributes: extra.subAttributes } : {}),
});

export function userSchema(baseUrl: string) {
  return {
    schemas: [SCHEMA_SCHEMA],
    id: USER_SCHEMA,
    name: 'User',
    description: 'User Account',
    attributes: [
      attribute('userName', 'string', 'Unique identifier for the User, as the identity provider knows it.', {
        required: true,
        uniqueness: 'server',
      }),
      attribute('name', 'complex', "The components of the user's name.", {
        subAttributes: [
          attribute('formatted', 'string', 'The full name.'),
          attribute('givenName', 'string', 'The given name.'),
          attribute('familyName', 'string', 'The family name.'),
        ],
      }),
      attribute('emails', 'complex', 'Email addresses for the user; exactly one, the work address.', {
        multiValued: true,
        required: true,
        subAttributes: [
          attribute('value', 'string', 'The email address.', { required: true }),
          attribute('type', 'string', "The email's type.", { canonicalValues: ['work'] }),
          attribute('primary', 'boolean', 'Whether this is the primary email address.'),
        ],
      }),
      attribute('active', 'boolean', "The user's administrative status in this scope.", { mutability: 'readWrite' }),
    ],
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${USER_SCHEMA}` },
  };
}

export function userResourceType(baseUrl: string) {
  return {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    description: 'User Account',
    schema: USER_SCHEMA,
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/User` },
  };
}

export function singleList<T>(resource: T) {
  return { schemas: [LIST_RESPONSE_SCHEMA], totalResults: 1, itemsPerPage: 1, startIndex: 1, Resources: [resource] };
}
