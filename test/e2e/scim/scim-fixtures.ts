import request from 'supertest';
import { Namespace } from '../../../src/namespaces/entities/namespace.entity';
import { User } from '../../../src/identity/entities/user.entity';
import { ScimIdentity } from '../../../src/scim/entities/scim-identity.entity';
import { ScimTokensService } from '../../../src/scim/scim-tokens.service';
import { addMember, createAdmin, createGroup, createPat, createUser } from '../../helpers/factories';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { oracle } from './oracle';

export const UID = '0b1d561c-21ff-4092-beab-8154b17f82f2';
export const EXTERNAL_URL = 'https://gitlab.example.com';
export const USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const LIST_URN = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const PATCH_URN = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const G = '/api/scim/v2/groups/test_group';
export const I = '/api/scim/v2/application';

/** The acceptance fixtures */
export interface Fixtures {
  testGroup: Namespace;
  sub: Namespace;
  otherGroup: Namespace;
  owner1: User;
  u1: User;
  u2: User;
  u3: User;
  TG: string;
  TO: string;
  TI: string;
  ADM: string;
  USR: string;
}

export function createScimApp(): Promise<TestApp> {
  return createTestApp({ EXTERNAL_URL });
}

/** Empties the database (this file's own) and builds the fixtures again, so that every case starts from them. */
export async function resetFixtures(t: TestApp): Promise<Fixtures> {
  await t.dataSource.query(`TRUNCATE users, namespaces, scim_access_tokens, scim_identities, scim_group_settings RESTART IDENTITY CASCADE`);
  const { token: ADM } = await createAdmin(t, 'root');
  const plain = await createUser(t, 'plain');
  const USR = await createPat(t, plain, ['api']);
  const testGroup = await createGroup(t, 'test_group', { name: 'Test Group' });
  const sub = await createGroup(t, 'sub', { parent: testGroup, name: 'Sub' });
  const otherGroup = await createGroup(t, 'other_group', { name: 'Other Group' });
  const owner1 = await createUser(t, 'owner1');
  const u1 = await createUser(t, 'username', { name: 'Test User', email: 'name@example.com' });
  const u2 = await createUser(t, 'jdoe', { name: 'Jane Doe', email: 'jane@example.com' });
  const u3 = await createUser(t, 'carol', { name: 'Carol Example', email: 'carol@example.com' });
  await addMember(t, testGroup, owner1, 50);
  await addMember(t, testGroup, u1, 30);
  await addMember(t, sub, u1, 20);
  const tokens = t.get<ScimTokensService>(ScimTokensService);
  const TG = await tokens.issue(testGroup.id);
  const TO = await tokens.issue(otherGroup.id);
  const TI = await tokens.issue(null);
  const identities = t.dataSource.getRepository(ScimIdentity);
  await identities.save([
    { group_id: testGroup.id, user_id: u1.id, extern_uid: UID, user_name: 'username', active: true },
    { group_id: null, user_id: u1.id, extern_uid: UID, user_name: 'username', active: true },
    { group_id: otherGroup.id, user_id: u3.id, extern_uid: 'other-uid-1', user_name: 'carol', active: true },
  ]);
  return { testGroup, sub, otherGroup, owner1, u1, u2, u3, TG, TO, TI, ADM, USR };
}

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

/** A SCIM request whose answer goes through the oracle. `body` objects are sent as application/scim+json. */
export async function scim(
  t: TestApp,
  method: Method,
  path: string,
  opts: { token?: string; body?: unknown; raw?: string; contentType?: string; headers?: Record<string, string> } = {},
): Promise<request.Response> {
  let req = t.http()[method](path).redirects(0);
  if (opts.token) req = req.set('Authorization', `Bearer ${opts.token}`);
  for (const [k, v] of Object.entries(opts.headers ?? {})) req = req.set(k, v);
  if (opts.body !== undefined || opts.raw !== undefined) {
    req = req.set('Content-Type', opts.contentType ?? 'application/scim+json');
    req = req.send(opts.raw ?? JSON.stringify(opts.body));
  }
  const res = await req;
  // supertest does not parse application/scim+json: parse it here
  if (res.text && /json/.test(String(res.headers['content-type']))) res.body = JSON.parse(res.text);
  return oracle(res);
}

/** ERR(s, t, d) */
export function expectError(res: request.Response, status: number, scimType: string | undefined, detail: string): void {
  expect({ status: res.status, body: res.body }).toEqual({
    status,
    body: {
      schemas: [ERROR_URN],
      ...(scimType ? { scimType } : {}),
      detail,
      status: String(status),
      ...(status === 401 ? { message: '401 Unauthorized' } : {}),
    },
  });
}

/** Both scopes of a case on `X`: name, base path, token. */
export const scopes = (f: () => Fixtures): [string, string, () => string][] => [
  ['G', G, () => f().TG],
  ['I', I, () => f().TI],
];
