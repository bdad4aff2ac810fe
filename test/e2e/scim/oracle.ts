import SCIMMY from 'scimmy';
import type { Response } from 'supertest';

/**
 * Independent check of every SCIM response body: it is rebuilt through scimmy's schema and message classes,
 * which throw on any attribute of the wrong type, an unknown schema, an invalid error status/scimType pair or
 * a missing required attribute, and the rebuilt object must carry the same content as ours.
 */
const ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';
const LIST_URN = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';
const SCHEMA_URN = 'urn:ietf:params:scim:schemas:core:2.0:Schema';
const RESOURCE_TYPE_URN = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SPC_URN = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

/** JSON round trip: drops undefined values so deep equality compares content only. */
const plain = (v: unknown) => JSON.parse(JSON.stringify(v));

function checkError(status: number, body: Record<string, unknown>): void {
  expect(body.schemas).toEqual([ERROR_URN]);
  expect(body.status).toBe(String(status));
  expect(typeof body.detail).toBe('string');
  expect((body.detail as string).length).toBeGreaterThan(0);
  if (status === 405) {
    // RFC 7644 §3.12 has no 405; scimmy refuses to build one, so only the shape is checked
    expect(body.scimType).toBeUndefined();
    return;
  }
  const rebuilt = new SCIMMY.Messages.ErrorResponse({
    status: status as never,
    scimType: body.scimType as never,
    detail: body.detail as string,
  });
  const { message, ...scimPart } = body;
  if (status === 401) expect(message).toBe('401 Unauthorized');
  else expect(message).toBeUndefined();
  expect(plain(rebuilt)).toEqual(plain(scimPart));
}

function checkUser(resource: Record<string, unknown>): void {
  expect(resource.schemas).toEqual([USER_URN]);
  const { 'name.formatted': flat, ...rest } = resource;
  const name = rest.name as { formatted?: string } | undefined;
  if (name?.formatted !== undefined) expect(flat).toBe(name.formatted);
  else expect(flat).toBeUndefined();
  // a resource cut down by `attributes` may lack userName: scimmy's required check is satisfied by a
  // placeholder, every attribute that is present is still type-checked
  const input = 'userName' in rest ? rest : { ...rest, userName: 'placeholder' };
  const rebuilt = plain(new SCIMMY.Schemas.User(input, 'out'));
  if (!('userName' in rest)) delete rebuilt.userName;
  // scimmy adds meta.resourceType to a resource whose meta was left out by `excludedAttributes`/`attributes`
  if (!('meta' in rest)) {
    expect(rebuilt.meta).toEqual({ resourceType: 'User' });
    delete rebuilt.meta;
  }
  expect(rebuilt).toEqual(plain(rest));
}

function checkSchema(resource: Record<string, unknown>): void {
  expect(resource.schemas).toEqual([SCHEMA_URN]);
  const toAttribute = (a: Record<string, unknown>): InstanceType<typeof SCIMMY.Types.Attribute> =>
    new SCIMMY.Types.Attribute(
      a.type as never,
      a.name as string,
      {
        multiValued: a.multiValued,
        description: a.description,
        required: a.required,
        caseExact: a.caseExact,
        mutable:
          a.mutability === 'readWrite'
            ? true
            : a.mutability === 'immutable'
              ? 'immutable'
              : a.mutability === 'readOnly'
                ? false
                : 'writeOnly',
        returned: a.returned === 'default' ? true : a.returned,
        uniqueness: a.uniqueness,
        ...(a.canonicalValues ? { canonicalValues: a.canonicalValues } : {}),
      } as never,
      ((a.subAttributes as Record<string, unknown>[] | undefined) ?? []).map(toAttribute),
    );
  const definition = new SCIMMY.Types.SchemaDefinition(
    resource.name as string,
    resource.id as string,
    resource.description as string,
    (resource.attributes as Record<string, unknown>[]).map(toAttribute),
  );
  const described = plain(definition.describe()) as { attributes: Record<string, unknown>[] };
  // scimmy describes the same attributes with the same characteristics (it leaves out caseExact where
  // RFC 7643 does not define it, e.g. on booleans: those keys are compared where scimmy has them)
  const compare = (theirs: Record<string, unknown>[], ours: Record<string, unknown>[]) => {
    expect(theirs.map((a) => a.name)).toEqual(ours.map((a) => a.name));
    theirs.forEach((a, n) => {
      for (const key of ['type', 'multiValued', 'required', 'caseExact', 'mutability', 'returned', 'uniqueness', 'canonicalValues']) {
        if (key in a) expect({ [key]: ours[n][key] }).toEqual({ [key]: a[key] });
      }
      if (a.subAttributes || ours[n].subAttributes)
        compare((a.subAttributes ?? []) as Record<string, unknown>[], (ours[n].subAttributes ?? []) as Record<string, unknown>[]);
    });
  };
  compare(described.attributes, resource.attributes as Record<string, unknown>[]);
  expect((resource.meta as Record<string, unknown>).resourceType).toBe('Schema');
}

function checkResource(resource: Record<string, unknown>): void {
  const schemas = resource.schemas as string[];
  if (schemas?.includes(USER_URN)) return checkUser(resource);
  if (schemas?.includes(SCHEMA_URN)) return checkSchema(resource);
  if (schemas?.includes(RESOURCE_TYPE_URN)) {
    expect(plain(new SCIMMY.Schemas.ResourceType(resource))).toEqual(plain(resource));
    return;
  }
  if (schemas?.includes(SPC_URN)) {
    const rebuilt = plain(new SCIMMY.Schemas.ServiceProviderConfig(resource));
    // scimmy's authenticationSchemes definition has no `primary` sub-attribute (RFC 7643 §5 lists it)
    const ours = plain(resource);
    for (const s of ours.authenticationSchemes) delete s.primary;
    expect(rebuilt).toEqual(ours);
    return;
  }
  throw new Error(`oracle: unknown SCIM body ${JSON.stringify(resource)}`);
}

/** Checks one SCIM HTTP answer: media type, empty 204s, and the body through scimmy. Returns the response. */
export function oracle(res: Response): Response {
  if (res.status === 204) {
    expect(res.text ?? '').toBe('');
    expect(res.headers['content-type']).toBeUndefined();
    return res;
  }
  expect(res.headers['content-type']).toBe(SCIM_CONTENT_TYPE);
  const body = res.body as Record<string, unknown>;
  const schemas = body.schemas as string[];
  if (schemas?.includes(ERROR_URN)) {
    checkError(res.status, body);
    return res;
  }
  expect(res.status).toBeLessThan(300);
  if (schemas?.includes(LIST_URN)) {
    const { Resources, ...envelope } = body as { Resources: Record<string, unknown>[] };
    const rebuilt = plain(new SCIMMY.Messages.ListResponse({ ...envelope, Resources: [] } as never));
    expect(rebuilt).toEqual(plain({ ...envelope, Resources: [] }));
    expect(Array.isArray(Resources)).toBe(true);
    for (const r of Resources) checkResource(r);
    return res;
  }
  checkResource(body);
  return res;
}
