import { ScimTokensService } from '../../../src/scim/scim-tokens.service';
import { addMember, createGroup, createProject } from '../../helpers/factories';
import { TestApp } from '../../helpers/test-app';
import { createScimApp, expectError, Fixtures, G, I, LIST_URN, PATCH_URN, resetFixtures, scim, UID, USER_URN } from './scim-fixtures';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('SCIM Users', () => {
  let t: TestApp;
  let f: Fixtures;
  beforeAll(async () => {
    t = await createScimApp();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    f = await resetFixtures(t);
  });

  const memberLevel = async (userId: number, namespaceId: number): Promise<number | null> => {
    const rows = await t.dataSource.query(
      `SELECT access_level FROM members WHERE source_type = 'Namespace' AND source_id = $1 AND user_id = $2`,
      [namespaceId, userId],
    );
    return rows.length ? Number(rows[0].access_level) : null;
  };
  const userState = async (userId: number): Promise<string> =>
    (await t.dataSource.query(`SELECT state FROM users WHERE id = $1`, [userId]))[0].state;
  const userByEmail = async (email: string) => (await t.dataSource.query(`SELECT * FROM users WHERE lower(email) = lower($1)`, [email]))[0];
  const countUsers = async (): Promise<number> => (await t.dataSource.query(`SELECT count(*)::int AS n FROM users`))[0].n;
  const q = (filter: string) => `filter=${encodeURIComponent(filter)}`;

  const body21 = {
    externalId: 'test_uid',
    active: null,
    userName: 'username2',
    emails: [{ primary: true, type: 'work', value: 'work@example.com' }],
    name: { formatted: 'Test Name', familyName: 'Name', givenName: 'Test' },
    schemas: [USER_URN],
    meta: { resourceType: 'User' },
  };

  describe.each([
    ['G', G, 'https://gitlab.example.com/api/scim/v2/groups/test_group'],
    ['I', I, 'https://gitlab.example.com/api/scim/v2/application'],
  ])('on %s', (scope, base, baseUrl) => {
    const isG = scope === 'G';
    const token = () => (isG ? f.TG : f.TI);
    const get = (path: string, headers?: Record<string, string>) => scim(t, 'get', `${base}${path}`, { token: token(), headers });
    const post = (body: unknown, opts: { contentType?: string; raw?: string; token?: string } = {}) =>
      scim(t, 'post', `${base}/Users`, {
        token: opts.token ?? token(),
        body: opts.raw === undefined ? body : undefined,
        raw: opts.raw,
        contentType: opts.contentType,
      });
    const patch = (id: string, body: unknown) => scim(t, 'patch', `${base}/Users/${encodeURIComponent(id)}`, { token: token(), body });
    const del = (id: string) => scim(t, 'delete', `${base}/Users/${encodeURIComponent(id)}`, { token: token() });
    const fullU1 = (overrides: Record<string, unknown> = {}) => ({
      schemas: [USER_URN],
      id: UID,
      externalId: UID,
      active: true,
      name: { formatted: 'Test User', givenName: 'Test', familyName: 'User' },
      'name.formatted': 'Test User',
      userName: 'username',
      meta: {
        resourceType: 'User',
        created: expect.stringMatching(ISO),
        lastModified: expect.stringMatching(ISO),
        location: `${baseUrl}/Users/${UID}`,
      },
      emails: [{ type: 'work', value: 'name@example.com', primary: true }],
      ...overrides,
    });

    // ------------------------------------------------------------------ list, filter, pagination

    it('#9 list without filter and with an empty filter', async () => {
      for (const path of ['/Users', '/Users?filter=']) {
        const res = await get(path);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ schemas: [LIST_URN], totalResults: 1, itemsPerPage: 20, startIndex: 1 });
        expect(res.body.Resources[0].id).toBe(UID);
      }
    });

    it("#10 GitLab's documented filter request returns the full resource", async () => {
      const res = await get(`/Users?filter=id%20eq%20%22${UID}%22`, { 'Content-Type': 'application/scim+json' });
      expect(res.status).toBe(200);
      expect(res.body.totalResults).toBe(1);
      expect(res.body.Resources[0]).toEqual(fullU1());
      expect(Object.keys(res.body.Resources[0])).toEqual([
        'schemas',
        'id',
        'externalId',
        'active',
        'name',
        'name.formatted',
        'userName',
        'meta',
        'emails',
      ]);
    });

    it('#11 Entra Test Connection (literal quotes, + for spaces)', async () => {
      const res = await scim(t, 'get', `${base}/Users?filter=userName+eq+"ab6490ee-1e48-479e-a20b-2d77186b5dd1"`, { token: token() });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ schemas: [LIST_URN], totalResults: 0, itemsPerPage: 20, startIndex: 1, Resources: [] });
    });

    it('#12 Okta existence check', async () => {
      const res = await get('/Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ schemas: [LIST_URN], totalResults: 0, itemsPerPage: 100, startIndex: 1, Resources: [] });
    });

    it('#13 filter attribute names, operators and values', async () => {
      const cases: [string, number][] = [
        ['userName eq "USERNAME"', 1],
        ['USERNAME EQ "username"', 1],
        ['urn:ietf:params:scim:schemas:core:2.0:User:userName eq "username"', 1],
        ['emails.value eq "NAME@example.com"', 1],
        ['id eq "0B1D561C-21FF-4092-BEAB-8154B17F82F2"', 0],
        [`id eq ${UID}`, 1],
        [`externalId eq "${UID}"`, 1],
        ['userName eq "user\\u006eame"', 1],
        ['  userName   eq   "username"  ', 1],
      ];
      for (const [filter, total] of cases) {
        const res = await get(`/Users?${q(filter)}`);
        expect({ filter, status: res.status, total: res.body.totalResults }).toEqual({ filter, status: 200, total });
      }
    });

    it('#14 and-joined terms with active', async () => {
      expect((await get(`/Users?${q(`externalId eq "${UID}" and active eq true`)}`)).body.totalResults).toBe(1);
      expect((await get(`/Users?${q(`externalId eq "${UID}" and active eq "False"`)}`)).body.totalResults).toBe(0);
      expect((await get(`/Users?${q(`externalId eq "${UID}" AND active eq TRUE`)}`)).body.totalResults).toBe(1);
    });

    it('#15 unsupported filters → 400 invalidFilter', async () => {
      for (const filter of [
        'id ne "x"',
        'displayName eq "Test User"',
        'userName eq "a" or userName eq "b"',
        'emails[type eq "work"].value eq "name@example.com"',
        'userName sw "user"',
        'userName eq "unterminated',
        'active eq maybe',
        'userName eq',
        'userName eq null',
        '(userName eq "username")',
        'not userName eq "username"',
        'userName pr',
        'userName eq "username" garbage',
        'userName eq "username" and',
        'meta.created eq "x"',
      ]) {
        expectError(await get(`/Users?${q(filter)}`), 400, 'invalidFilter', 'Unsupported Filter');
      }
    });

    it('#16 pagination arithmetic', async () => {
      for (const n of ['p2', 'p3'])
        expect((await post({ externalId: n, userName: n, emails: [{ value: `${n}@example.com` }] })).status).toBe(201);
      const page = await get('/Users?startIndex=2&count=1');
      expect(page.body).toMatchObject({ totalResults: 3, itemsPerPage: 1, startIndex: 2 });
      expect(page.body.Resources.map((r: { id: string }) => r.id)).toEqual(['p2']);
      for (const start of ['0', '-3']) {
        const res = await get(`/Users?startIndex=${start}`);
        expect(res.body.startIndex).toBe(1);
        expect(res.body.Resources[0].id).toBe(UID);
      }
      expect((await get('/Users?count=0')).body).toEqual({
        schemas: [LIST_URN],
        totalResults: 3,
        itemsPerPage: 0,
        startIndex: 1,
        Resources: [],
      });
      expect((await get('/Users?count=-5')).body.itemsPerPage).toBe(0);
      const many = await get('/Users?count=1000');
      expect(many.body.itemsPerPage).toBe(100);
      expect(many.body.Resources.map((r: { id: string }) => r.id)).toEqual([UID, 'p2', 'p3']);
      const past = await get('/Users?startIndex=999');
      expect(past.body).toMatchObject({ totalResults: 3, Resources: [] });
      expect((await get('/Users?count=abc')).body.itemsPerPage).toBe(20);
      expect((await get('/Users?startIndex=abc')).body.startIndex).toBe(1);
      expect((await get('/Users?count=2&count=1')).body.itemsPerPage).toBe(2);
    });

    it('#17 attributes and excludedAttributes', async () => {
      const only = await get('/Users?attributes=userName');
      for (const r of only.body.Resources) expect(Object.keys(r).sort()).toEqual(['id', 'schemas', 'userName']);
      expect(only.body.totalResults).toBe(1);
      const excluded = await get('/Users?excludedAttributes=emails,meta');
      expect(excluded.body.Resources[0]).toEqual(
        (({ emails: _e, meta: _m, ...rest }) => rest)(fullU1() as Record<string, unknown> & { emails: unknown; meta: unknown }),
      );
      const sub = await get(`/Users/${UID}?attributes=name.givenName,emails.value`);
      expect(sub.status).toBe(200);
      expect(sub.body).toEqual({ schemas: [USER_URN], id: UID, name: { givenName: 'Test' }, emails: [{ value: 'name@example.com' }] });
      const urn = await get(
        `/Users/${UID}?attributes=${encodeURIComponent(' urn:ietf:params:scim:schemas:core:2.0:User:NAME.formatted , nothing')}`,
      );
      expect(urn.body).toEqual({ schemas: [USER_URN], id: UID, name: { formatted: 'Test User' }, 'name.formatted': 'Test User' });
      const both = await get(`/Users/${UID}?attributes=name,active&excludedAttributes=name.formatted,id,schemas`);
      expect(both.body).toEqual({ schemas: [USER_URN], id: UID, active: true, name: { givenName: 'Test', familyName: 'User' } });
    });

    it('#19 GET one user; unknown and letter-case variants → 404', async () => {
      const res = await get(`/Users/${UID}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(fullU1());
      expectError(await get('/Users/123'), 404, undefined, 'Resource 123 not found');
      expectError(await get(`/Users/${UID.toUpperCase()}`), 404, undefined, `Resource ${UID.toUpperCase()} not found`);
    });

    it('#20 ids with @ and dots, raw or percent-encoded', async () => {
      expect((await post({ externalId: 'jane.roe@example.com', userName: 'jroe', emails: [{ value: 'jroe@example.com' }] })).status).toBe(
        201,
      );
      for (const path of ['/Users/jane.roe@example.com', '/Users/jane.roe%40example.com']) {
        const res = await get(path);
        expect(res.status).toBe(200);
        expect(res.body.id).toBe('jane.roe@example.com');
        expect(res.body.meta.location).toBe(`${baseUrl}/Users/jane.roe%40example.com`);
      }
      expect((await post({ externalId: 'a/b c+d', userName: 'slashy', emails: [{ value: 'slashy@example.com' }] })).status).toBe(201);
      expect((await get(`/Users/${encodeURIComponent('a/b c+d')}`)).body.id).toBe('a/b c+d');
    });

    // ------------------------------------------------------------------ create

    it('#21 create a new user', async () => {
      const res = await post(body21);
      expect(res.status).toBe(201);
      expect(res.headers.location).toBe(`${baseUrl}/Users/test_uid`);
      expect(res.body).toEqual({
        schemas: [USER_URN],
        id: 'test_uid',
        externalId: 'test_uid',
        active: true,
        name: { formatted: 'Test Name', givenName: 'Test', familyName: 'Name' },
        'name.formatted': 'Test Name',
        userName: 'username2',
        meta: {
          resourceType: 'User',
          created: expect.stringMatching(ISO),
          lastModified: expect.stringMatching(ISO),
          location: `${baseUrl}/Users/test_uid`,
        },
        emails: [{ type: 'work', value: 'work@example.com', primary: true }],
      });
      expect(res.body.meta.created).toBe(res.body.meta.lastModified);
      const user = await userByEmail('work@example.com');
      expect(user).toMatchObject({ username: 'username2', name: 'Test Name', state: 'active', encrypted_password: null });
      expect(await memberLevel(user.id, f.testGroup.id)).toBe(isG ? 10 : null);
      const namespace = await t.dataSource.query(`SELECT type, full_path FROM namespaces WHERE owner_id = $1`, [user.id]);
      expect(namespace).toEqual([{ type: 'User', full_path: 'username2' }]);
    });

    it('#22 JSON media types are accepted, others refused', async () => {
      const variant = (id: string, user: string, email: string) => ({
        ...body21,
        externalId: id,
        userName: user,
        emails: [{ primary: true, type: 'work', value: email }],
      });
      expect((await post(variant('b_uid', 'user_b', 'b@example.com'), { contentType: 'application/json' })).status).toBe(201);
      expect(
        (await post(variant('c_uid', 'user_c', 'c@example.com'), { contentType: 'application/scim+json; charset=utf-8' })).status,
      ).toBe(201);
      const d = await post(undefined, { raw: JSON.stringify(variant('d_uid', 'user_d', 'd@example.com')), contentType: 'text/plain' });
      expectError(d, 400, 'invalidSyntax', 'Request body must be a JSON object');
      expect(await userByEmail('d@example.com')).toBeUndefined();
    });

    it('#23 Okta create: userName echoed, password never stored or echoed', async () => {
      const res = await post({
        schemas: [USER_URN],
        userName: 'test.user@okta.local',
        name: { givenName: 'Test', familyName: 'User' },
        emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
        displayName: 'Test User',
        locale: 'en-US',
        externalId: '00ujl29u0le5T6Aj10h7',
        groups: [],
        password: '1mz050nq',
        active: true,
      });
      expect(res.status).toBe(201);
      expect(res.body.userName).toBe('test.user@okta.local');
      expect(res.body.name).toEqual({ formatted: 'Test User', givenName: 'Test', familyName: 'User' });
      expect(res.body.active).toBe(true);
      for (const key of ['password', 'locale', 'groups', 'displayName']) expect(res.body).not.toHaveProperty(key);
      expect(res.text).not.toContain('1mz050nq');
      expect((await userByEmail('test.user@okta.local')).username).toBe('test.user');
      const tables: { table_name: string }[] = await t.dataSource.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
      );
      for (const { table_name } of tables) {
        const hits = await t.dataSource.query(
          `SELECT count(*)::int AS n FROM "${table_name}" t WHERE row_to_json(t)::text LIKE '%1mz050nq%'`,
        );
        expect({ table_name, n: hits[0].n }).toEqual({ table_name, n: 0 });
      }
    });

    it('#24 Entra create, then found by userName', async () => {
      const userName = 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1';
      const res = await post({
        schemas: [USER_URN, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
        externalId: '4f0e4a2b-6b1a-4c7e-9d3e-1a2b3c4d5e6f',
        userName,
        active: true,
        emails: [{ primary: true, type: 'work', value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com' }],
        meta: { resourceType: 'User' },
        name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
        roles: [],
      });
      expect(res.status).toBe(201);
      expect(res.body.userName).toBe(userName);
      const found = await get(`/Users?${q(`userName eq "${userName}"`)}`);
      expect(found.body.totalResults).toBe(1);
      expect(found.body.Resources[0].id).toBe('4f0e4a2b-6b1a-4c7e-9d3e-1a2b3c4d5e6f');
    });

    it('#25 the same body twice → 409 externalId', async () => {
      expect((await post(body21)).status).toBe(201);
      expectError(await post(body21), 409, 'uniqueness', 'externalId "test_uid" has already been taken');
      expect((await get('/Users')).body.totalResults).toBe(2);
    });

    it('#26 userName taken (case-insensitive) and email of a user already linked → 409', async () => {
      expectError(
        await post({
          externalId: 'x1',
          userName: 'USERNAME',
          emails: [{ value: 'x1@example.com', type: 'work' }],
          name: { formatted: 'X One' },
        }),
        409,
        'uniqueness',
        'userName "USERNAME" has already been taken',
      );
      expectError(
        await post({
          externalId: 'dup_uid',
          userName: 'someone',
          emails: [{ type: 'work', value: 'name@example.com' }],
          name: { formatted: 'X' },
        }),
        409,
        'uniqueness',
        'User has already been taken',
      );
      expect(await userByEmail('x1@example.com')).toBeUndefined();
    });

    it('#27 link an existing user by email', async () => {
      const before = await countUsers();
      const res = await post({
        externalId: 'link_uid',
        userName: 'jane',
        emails: [{ primary: true, type: 'work', value: 'JANE@example.com' }],
        name: { formatted: 'Whatever' },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        id: 'link_uid',
        userName: 'jane',
        name: { formatted: 'Jane Doe', givenName: 'Jane', familyName: 'Doe' },
      });
      expect(res.body.emails[0].value).toBe('jane@example.com');
      expect(await countUsers()).toBe(before);
      expect(await userByEmail('jane@example.com')).toMatchObject({ username: 'jdoe', name: 'Jane Doe', state: 'active' });
      expect(await memberLevel(f.u2.id, f.testGroup.id)).toBe(isG ? 10 : null);
    });

    it('#28 validation of required attributes and the email', async () => {
      expectError(
        await post({ userName: 'u9', emails: [{ value: 'u9@example.com' }] }),
        400,
        'invalidValue',
        'Missing required attributes: externalId',
      );
      expectError(await post({}), 400, 'invalidValue', 'Missing required attributes: externalId, userName, emails');
      expectError(
        await post({ externalId: 'u10', userName: 'u10', emails: [{ primary: true, type: 'work', value: '' }] }),
        400,
        'invalidValue',
        "Email can't be blank",
      );
      expectError(
        await post({ externalId: 'u10', userName: 'u10', emails: [{ primary: true, type: 'work', value: 'not-an-email' }] }),
        400,
        'invalidValue',
        'Email is invalid',
      );
      expectError(
        await post({ externalId: 7, userName: 'u11', emails: [{ value: 'u11@example.com' }] }),
        400,
        'invalidValue',
        'Invalid value for externalId',
      );
      expectError(
        await post({ externalId: 'u11', userName: 'x'.repeat(256), emails: [{ value: 'u11@example.com' }] }),
        400,
        'invalidValue',
        'Invalid value for userName',
      );
      expectError(
        await post({ externalId: 'u11', userName: 'u11', emails: 'u11@example.com' }),
        400,
        'invalidValue',
        'Invalid value for emails',
      );
      expectError(
        await post({ externalId: 'u11', userName: 'u11', emails: [{ value: 'u11@example.com' }], name: { givenName: 'g'.repeat(256) } }),
        400,
        'invalidValue',
        'Invalid value for name',
      );
      expectError(
        await post({ externalId: '   ', userName: 'u11', emails: [] }),
        400,
        'invalidValue',
        'Missing required attributes: externalId, emails',
      );
      expect(await userByEmail('u11@example.com')).toBeUndefined();
    });

    it('#29 GitLab usernames are sanitised and made unique; userName is echoed exactly', async () => {
      const first = await post({ externalId: 'r1', userName: ' --ricky.^#!__the._raccoon--', emails: [{ value: 'r1@example.com' }] });
      expect(first.status).toBe(201);
      expect(first.body.userName).toBe(' --ricky.^#!__the._raccoon--');
      expect((await userByEmail('r1@example.com')).username).toBe('ricky.the.raccoon');
      const second = await post({ externalId: 'r2', userName: 'Ricky.The.Raccoon@corp.example', emails: [{ value: 'r2@example.com' }] });
      expect(second.status).toBe(201);
      expect(second.body.userName).toBe('Ricky.The.Raccoon@corp.example');
      expect((await userByEmail('r2@example.com')).username).toBe('Ricky.The.Raccoon1');
      expect((await post({ externalId: 'r3', userName: '@@@', emails: [{ value: 'r3@example.com' }] })).status).toBe(201);
      expect((await userByEmail('r3@example.com')).username).toBe('blank');
      expect((await post({ externalId: 'r4', userName: 'admin', emails: [{ value: 'r4@example.com' }] })).status).toBe(201);
      expect((await userByEmail('r4@example.com')).username).toBe('admin1');
      expect((await post({ externalId: 'r5', userName: 'test_group', emails: [{ value: 'r5@example.com' }] })).status).toBe(201);
      expect((await userByEmail('r5@example.com')).username).toBe('test_group1');
    });

    it('#30 display name fallbacks', async () => {
      const a = await post({
        externalId: 'n1',
        userName: 'n1',
        emails: [{ value: 'n1@example.com' }],
        name: { givenName: 'Fred', familyName: 'Nurk' },
      });
      expect(a.body.name.formatted).toBe('Fred Nurk');
      const b = await post({ externalId: 'n2', userName: 'n2', emails: [{ value: 'n2@example.com' }], displayName: 'My Name' });
      expect(b.body.name).toEqual({ formatted: 'My Name', givenName: 'My', familyName: 'Name' });
      const c = await post({ externalId: 'n3', userName: 'solo', emails: [{ value: 'n3@example.com' }] });
      expect(c.body.name).toEqual({ formatted: 'solo', givenName: 'solo' });
      const d = await post({ externalId: 'n4', userName: 'n4', emails: [{ value: 'n4@example.com' }], name: 'Plain String' });
      expect(d.body['name.formatted']).toBe('Plain String');
      const e = await post({
        ExternalID: 'n5',
        USERNAME: 'n5',
        Emails: [{ Value: 'n5@example.com', Primary: 'TRUE' }],
        'name.formatted': 'Flat Key',
      });
      expect(e.status).toBe(201);
      expect(e.body).toMatchObject({ id: 'n5', userName: 'n5', 'name.formatted': 'Flat Key', emails: [{ value: 'n5@example.com' }] });
    });

    it('externalId falls back to a top-level id; the email is the primary one, else the work one, else the first', async () => {
      const a = await post({
        id: 'from-id',
        userName: 'fromid',
        emails: [
          { value: 'other@example.com', type: 'home' },
          { value: 'work1@example.com', type: 'WORK' },
        ],
      });
      expect(a.status).toBe(201);
      expect(a.body).toMatchObject({ id: 'from-id', emails: [{ value: 'work1@example.com' }] });
      const b = await post({
        externalId: 'prim',
        userName: 'prim',
        emails: [
          { value: 'w2@example.com', type: 'work' },
          { value: ' p2@example.com ', primary: 'True', type: 'home' },
        ],
      });
      expect(b.body.emails).toEqual([{ type: 'work', value: 'p2@example.com', primary: true }]);
      const c = await post({
        externalId: 'firstmail',
        userName: 'firstmail',
        emails: [{ value: 'f1@example.com' }, { value: 'f2@example.com' }],
      });
      expect(c.body.emails[0].value).toBe('f1@example.com');
    });

    it('#31 malformed bodies → 400 invalidSyntax; a bad token wins', async () => {
      expectError(await post(undefined, { raw: '{"externalId":' }), 400, 'invalidSyntax', 'Request body must be a JSON object');
      expectError(await post([]), 400, 'invalidSyntax', 'Request body must be a JSON object');
      expectError(await post(undefined, { raw: '{"externalId":', token: 'wrong' }), 401, undefined, '401 Unauthorized');
    });

    it('#32 ten concurrent identical POSTs → one 201, nine 409', async () => {
      const body = { externalId: 'race', userName: 'race', emails: [{ value: 'race@example.com' }] };
      const results = await Promise.all(Array.from({ length: 10 }, () => post(body)));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([201, ...Array(9).fill(409)]);
      for (const r of results.filter((x) => x.status === 409)) expect(r.body.scimType).toBe('uniqueness');
      expect((await get(`/Users?${q('externalId eq "race"')}`)).body.totalResults).toBe(1);
      expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM users WHERE lower(email) = 'race@example.com'`)).toEqual([{ n: 1 }]);
      if (isG) expect(await memberLevel((await userByEmail('race@example.com')).id, f.testGroup.id)).toBe(10);
    });

    it('concurrent POSTs with different externalIds but the same email → one 201, the others 409', async () => {
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, n) =>
          post({ externalId: `same-mail-${n}`, userName: `same-mail-${n}`, emails: [{ value: 'same@example.com' }] }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
      for (const r of results.filter((x) => x.status === 409)) expect(r.body.detail).toBe('User has already been taken');
      expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM users WHERE lower(email) = 'same@example.com'`)).toEqual([{ n: 1 }]);
    });

    // ------------------------------------------------------------------ patch

    it("#33 GitLab's documented id change", async () => {
      const before = (await get(`/Users/${UID}`)).body;
      const res = await patch(UID, { Operations: [{ op: 'replace', path: 'id', value: '1234abcd' }] });
      expect(res.status).toBe(204);
      const after = await get('/Users/1234abcd');
      expect(after.status).toBe(200);
      expect(after.body).toMatchObject({ id: '1234abcd', externalId: '1234abcd', meta: { location: `${baseUrl}/Users/1234abcd` } });
      expect(after.body.meta.lastModified > before.meta.lastModified).toBe(true);
      expect(after.body.meta.created).toBe(before.meta.created);
      expectError(await get(`/Users/${UID}`), 404, undefined, `Resource ${UID} not found`);
    });

    const deactivated = async () => {
      const res = await get(`/Users/${UID}`);
      expect(res.body.active).toBe(false);
      const listed = await get(`/Users?${q(`id eq "${UID}"`)}`);
      expect(listed.body.totalResults).toBe(1);
      expect(listed.body.Resources[0].active).toBe(false);
      if (isG) {
        expect(await memberLevel(f.u1.id, f.testGroup.id)).toBeNull();
        expect(await memberLevel(f.u1.id, f.sub.id)).toBeNull();
        expect(await userState(f.u1.id)).toBe('active');
      } else {
        expect(await userState(f.u1.id)).toBe('blocked');
        expect(await memberLevel(f.u1.id, f.testGroup.id)).toBe(30);
      }
    };

    it('#34 Entra default disable ("False")', async () => {
      const res = await patch(UID, { schemas: [PATCH_URN], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
      expect(res.status).toBe(204);
      await deactivated();
    });

    it('#35 Okta deactivate (path-less value object)', async () => {
      expect((await patch(UID, { schemas: [PATCH_URN], Operations: [{ op: 'replace', value: { active: false } }] })).status).toBe(204);
      await deactivated();
    });

    it('#36 Entra aadOptscim062020 forms', async () => {
      expect((await patch(UID, { schemas: [PATCH_URN], Operations: [{ op: 'replace', path: 'active', value: false }] })).status).toBe(204);
      await deactivated();
      await resetFixtures(t).then((fx) => (f = fx));
      const multi = await patch(UID, {
        schemas: [PATCH_URN],
        Operations: [
          { op: 'replace', value: { displayName: 'Test User 2', 'name.givenName': 'Test2', 'name.familyName': 'User 2', active: false } },
        ],
      });
      expect(multi.status).toBe(204);
      await deactivated();
      const res = await get(`/Users/${UID}`);
      expect(res.body.name).toEqual({ formatted: 'Test User', givenName: 'Test', familyName: 'User' });
    });

    it('#37 reactivation restores the membership at the default level; a second call changes nothing', async () => {
      expect((await patch(UID, { schemas: [PATCH_URN], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] })).status).toBe(
        204,
      );
      expect((await patch(UID, { Operations: [{ op: 'replace', path: 'active', value: 'True' }] })).status).toBe(204);
      const first = await get(`/Users/${UID}`);
      expect(first.body.active).toBe(true);
      if (isG) expect(await memberLevel(f.u1.id, f.testGroup.id)).toBe(10);
      else expect(await userState(f.u1.id)).toBe('active');
      expect((await patch(UID, { Operations: [{ op: 'replace', path: 'active', value: 'True' }] })).status).toBe(204);
      const second = await get(`/Users/${UID}`);
      expect(second.body.meta.lastModified).toBe(first.body.meta.lastModified);
      if (isG) expect(await memberLevel(f.u1.id, f.testGroup.id)).toBe(10);
    });

    it("#38 GitLab's documented instance example with op Update", async () => {
      expect((await patch(UID, { Operations: [{ op: 'Update', path: 'active', value: 'false' }] })).status).toBe(204);
      expect((await get(`/Users/${UID}`)).body.active).toBe(false);
      expect(await userState(f.u1.id)).toBe(isG ? 'active' : 'blocked');
    });

    it('#39 profile, protected, extension and unknown paths are accepted and ignored', async () => {
      const before = (await get(`/Users/${UID}`)).body;
      const ops = {
        Operations: [
          { op: 'Replace', path: 'userName', value: 'new' },
          { op: 'Add', path: 'name.formatted', value: 'New Name' },
          { op: 'Replace', path: 'emails[type eq "work"].value', value: 'n@example.com' },
          { op: 'Remove', path: 'name.givenName' },
          { op: 'Add', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', value: 'R&D' },
          { op: 'Replace', path: 'nonsense', value: 1 },
        ],
      };
      for (const body of [ops, {}, { Garbage: 'params' }, { Operations: null }, { operations: [] }]) {
        expect((await patch(UID, body)).status).toBe(204);
      }
      expect((await get(`/Users/${UID}`)).body).toEqual(before);
      expect(await userByEmail('name@example.com')).toMatchObject({ username: 'username', name: 'Test User' });
    });

    it('#40 remove errors', async () => {
      expectError(await patch(UID, { Operations: [{ op: 'remove' }] }), 400, 'noTarget', 'Remove operation requires a path');
      expectError(
        await patch(UID, { Operations: [{ op: 'Remove', path: 'externalId' }] }),
        400,
        'mutability',
        'Attribute externalId cannot be removed',
      );
      expectError(await patch(UID, { Operations: [{ op: 'remove', path: 'foo' }] }), 400, 'noTarget', 'No attribute matches path foo');
      expectError(
        await patch(UID, { Operations: [{ op: 'remove', path: 'emails[type eq "work"]' }] }),
        400,
        'mutability',
        'Attribute emails cannot be removed',
      );
      expectError(
        await patch(UID, { Operations: [{ op: 'remove', path: 'ACTIVE' }] }),
        400,
        'mutability',
        'Attribute active cannot be removed',
      );
      expect((await patch(UID, { Operations: [{ op: 'remove', path: 'title' }] })).status).toBe(204);
    });

    it('#41 invalid operations', async () => {
      expectError(
        await patch(UID, { Operations: [{ op: 'replace', path: 'active', value: 'yes' }] }),
        400,
        'invalidValue',
        'Invalid value for active',
      );
      expectError(
        await patch(UID, { Operations: [{ op: 'move', path: 'active', value: false }] }),
        400,
        'invalidSyntax',
        'Unsupported operation: move',
      );
      expectError(await patch(UID, { Operations: 'x' }), 400, 'invalidSyntax', 'Operations must be an array of operation objects');
      expectError(
        await patch(UID, { Operations: [{ op: 'replace', value: 'x' }] }),
        400,
        'invalidSyntax',
        'Operation value must be an object when path is omitted',
      );
      expectError(
        await patch(UID, { Operations: [{ path: 'active', value: false }] }),
        400,
        'invalidSyntax',
        'Operations must be an array of operation objects',
      );
      expectError(await patch(UID, { Operations: [{ op: 'replace', path: 5, value: false }] }), 400, 'invalidPath', 'Invalid path');
      expectError(
        await patch(UID, { Operations: [{ op: 'replace', path: 'active.value', value: false }] }),
        400,
        'invalidPath',
        'Invalid path: active.value',
      );
      expectError(
        await patch(UID, { Operations: [{ op: 'replace', path: 'active', value: 1 }] }),
        400,
        'invalidValue',
        'Invalid value for active',
      );
      expectError(
        await patch(UID, { Operations: [{ op: 'replace', path: 'id', value: '' }] }),
        400,
        'invalidValue',
        'Invalid value for id',
      );
      expectError(
        await patch(UID, { Operations: [{ op: 'replace', path: 'externalId', value: 7 }] }),
        400,
        'invalidValue',
        'Invalid value for externalId',
      );
    });

    it('#42 atomicity: a later invalid operation cancels an earlier valid one', async () => {
      const res = await patch(UID, {
        Operations: [
          { op: 'replace', path: 'externalId', value: 'ext-2' },
          { op: 'replace', path: 'active', value: 'maybe' },
        ],
      });
      expectError(res, 400, 'invalidValue', 'Invalid value for active');
      expect((await get(`/Users/${UID}`)).body.active).toBe(true);
      expect((await get('/Users/ext-2')).status).toBe(404);
    });

    it('#43 changing the id to one taken in the scope → 409', async () => {
      expect((await post(body21)).status).toBe(201);
      expectError(
        await patch(UID, { Operations: [{ op: 'replace', path: 'id', value: 'test_uid' }] }),
        409,
        'uniqueness',
        'externalId "test_uid" has already been taken',
      );
      expect((await get(`/Users/${UID}`)).body.userName).toBe('username');
      expect((await get('/Users/test_uid')).body.userName).toBe('username2');
    });

    it('#44 PATCH an unknown id → 404 (after the body syntax check)', async () => {
      expectError(
        await patch('123', { Operations: [{ op: 'replace', path: 'active', value: false }] }),
        404,
        undefined,
        'Resource 123 not found',
      );
      expectError(await patch('123', { Operations: 'x' }), 404, undefined, 'Resource 123 not found');
      expectError(
        await scim(t, 'patch', `${base}/Users/123`, { token: token(), raw: '[1]' }),
        400,
        'invalidSyntax',
        'Request body must be a JSON object',
      );
    });
  });

  describe('scope isolation and group-only behaviour', () => {
    it('#18 identities never cross scopes', async () => {
      expect(
        (await scim(t, 'get', `${G}/Users?filter=${encodeURIComponent('id eq "other-uid-1"')}`, { token: f.TG })).body.totalResults,
      ).toBe(0);
      expectError(await scim(t, 'get', `${G}/Users/other-uid-1`, { token: f.TG }), 404, undefined, 'Resource other-uid-1 not found');
      const inst = await scim(t, 'get', `${I}/Users`, { token: f.TI });
      expect(inst.body.totalResults).toBe(1);
      expect(inst.body.Resources[0].meta.location).toBe(`https://gitlab.example.com/api/scim/v2/application/Users/${UID}`);
      // the same externalId may be provisioned in another scope
      const other = await scim(t, 'post', '/api/scim/v2/groups/other_group/Users', {
        token: f.TO,
        body: { externalId: UID, userName: 'username', emails: [{ value: 'name@example.com' }] },
      });
      expect(other.status).toBe(201);
      expect(other.body.meta.location).toBe(`https://gitlab.example.com/api/scim/v2/groups/other_group/Users/${UID}`);
    });

    it('#45 the last direct Owner cannot be deprovisioned', async () => {
      await t.dataSource.query(`DELETE FROM members WHERE user_id = $1`, [f.owner1.id]);
      await t.dataSource.query(`UPDATE members SET access_level = 50 WHERE user_id = $1 AND source_id = $2 AND source_type = 'Namespace'`, [
        f.u1.id,
        f.testGroup.id,
      ]);
      const detail = 'Could not remove Test User from Test Group. Cannot remove last group owner.';
      expectError(
        await scim(t, 'patch', `${G}/Users/${UID}`, {
          token: f.TG,
          body: { schemas: [PATCH_URN], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] },
        }),
        400,
        'mutability',
        detail,
      );
      expectError(await scim(t, 'delete', `${G}/Users/${UID}`, { token: f.TG }), 400, 'mutability', detail);
      expect((await scim(t, 'get', `${G}/Users/${UID}`, { token: f.TG })).body.active).toBe(true);
      expect(await memberLevel(f.u1.id, f.testGroup.id)).toBe(50);
      expect(await memberLevel(f.u1.id, f.sub.id)).toBe(20);
    });

    it('#46 group DELETE removes the identity and the memberships, not the user', async () => {
      const res = await scim(t, 'delete', `${G}/Users/${UID}`, { token: f.TG });
      expect(res.status).toBe(204);
      expectError(await scim(t, 'get', `${G}/Users/${UID}`, { token: f.TG }), 404, undefined, `Resource ${UID} not found`);
      expect((await scim(t, 'get', `${G}/Users`, { token: f.TG })).body.totalResults).toBe(0);
      expectError(await scim(t, 'delete', `${G}/Users/${UID}`, { token: f.TG }), 404, undefined, `Resource ${UID} not found`);
      expect(await memberLevel(f.u1.id, f.testGroup.id)).toBeNull();
      expect(await memberLevel(f.u1.id, f.sub.id)).toBeNull();
      expect(await userState(f.u1.id)).toBe('active');
      const inst = await scim(t, 'get', `${I}/Users/${UID}`, { token: f.TI });
      expect(inst.body.active).toBe(true);
    });

    it('#47 after a group DELETE the same externalId provisions again by linking', async () => {
      expect((await scim(t, 'delete', `${G}/Users/${UID}`, { token: f.TG })).status).toBe(204);
      const res = await scim(t, 'post', `${G}/Users`, {
        token: f.TG,
        body: {
          externalId: UID,
          userName: 'username',
          emails: [{ primary: true, type: 'work', value: 'name@example.com' }],
          name: { formatted: 'Test User' },
        },
      });
      expect(res.status).toBe(201);
      expect(res.body.id).toBe(UID);
      expect(await memberLevel(f.u1.id, f.testGroup.id)).toBe(10);
      expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM users WHERE lower(email) = 'name@example.com'`)).toEqual([{ n: 1 }]);
    });

    it('#48 instance DELETE blocks and keeps the identity; PATCH active true re-enables', async () => {
      expect((await scim(t, 'delete', `${I}/Users/${UID}`, { token: f.TI })).status).toBe(204);
      const got = await scim(t, 'get', `${I}/Users/${UID}`, { token: f.TI });
      expect(got.status).toBe(200);
      expect(got.body.active).toBe(false);
      expect(await userState(f.u1.id)).toBe('blocked');
      const again = await scim(t, 'delete', `${I}/Users/${UID}`, { token: f.TI });
      expect(again.status).toBe(204);
      expect((await scim(t, 'get', `${I}/Users/${UID}`, { token: f.TI })).body.meta.lastModified).toBe(got.body.meta.lastModified);
      expectError(
        await scim(t, 'post', `${I}/Users`, {
          token: f.TI,
          body: {
            externalId: UID,
            userName: 'username',
            emails: [{ primary: true, type: 'work', value: 'name@example.com' }],
            name: { formatted: 'Test User' },
          },
        }),
        409,
        'uniqueness',
        `externalId "${UID}" has already been taken`,
      );
      expect(
        (
          await scim(t, 'patch', `${I}/Users/${UID}`, {
            token: f.TI,
            body: { Operations: [{ op: 'replace', path: 'active', value: 'true' }] },
          })
        ).status,
      ).toBe(204);
      expect(await userState(f.u1.id)).toBe('active');
      expect((await scim(t, 'get', `${I}/Users/${UID}`, { token: f.TI })).body.active).toBe(true);
      // the group identity was never touched
      const group = await scim(t, 'get', `${G}/Users/${UID}`, { token: f.TG });
      expect(group.body.active).toBe(true);
      expect(group.body.meta.created).toBe(group.body.meta.lastModified);
    });

    it('a deactivated identity stays inactive through other PATCHes; membership requests are turned into memberships', async () => {
      await scim(t, 'patch', `${G}/Users/${UID}`, { token: f.TG, body: { Operations: [{ op: 'replace', path: 'active', value: false }] } });
      expect(
        (
          await scim(t, 'patch', `${G}/Users/${UID}`, {
            token: f.TG,
            body: { Operations: [{ op: 'replace', path: 'userName', value: 'x' }] },
          })
        ).status,
      ).toBe(204);
      expect((await scim(t, 'get', `${G}/Users/${UID}`, { token: f.TG })).body.active).toBe(false);
      // an access request does not count: reactivation turns it into a membership at the default level
      await t.dataSource.query(
        `INSERT INTO members (source_type, source_id, user_id, access_level, state, requested_at) VALUES ('Namespace', $1, $2, 30, 0, now())`,
        [f.testGroup.id, f.u1.id],
      );
      await scim(t, 'patch', `${G}/Users/${UID}`, { token: f.TG, body: { Operations: [{ op: 'replace', path: 'active', value: true }] } });
      expect(
        await t.dataSource.query(
          `SELECT access_level, requested_at FROM members WHERE source_type = 'Namespace' AND source_id = $1 AND user_id = $2`,
          [f.testGroup.id, f.u1.id],
        ),
      ).toEqual([{ access_level: 10, requested_at: null }]);
    });

    it('reactivation resets a membership that expires today; one that expires tomorrow still counts and is kept', async () => {
      const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
      const active = (value: boolean) =>
        scim(t, 'patch', `${G}/Users/${UID}`, { token: f.TG, body: { Operations: [{ op: 'replace', path: 'active', value }] } });
      const membership = () =>
        t.dataSource.query(`SELECT access_level, expires_at FROM members WHERE source_type = 'Namespace' AND source_id = $1 AND user_id = $2`, [
          f.testGroup.id,
          f.u1.id,
        ]);
      for (const [expiresAt, expected] of [
        [day(0), { access_level: 10, expires_at: null }],
        [day(1), { access_level: 30, expires_at: day(1) }],
      ] as const) {
        expect((await active(false)).status).toBe(204);
        await t.dataSource.query(`DELETE FROM members WHERE source_type = 'Namespace' AND source_id = $1 AND user_id = $2`, [f.testGroup.id, f.u1.id]);
        await addMember(t, f.testGroup, f.u1, 30, { expiresAt });
        expect((await active(true)).status).toBe(204);
        expect(await membership()).toEqual([expected]);
      }
    });

    it('deprovisioning removes memberships of the group, its subgroups and their projects only', async () => {
      const inSub = await createProject(t, f.sub, 'inside');
      const elsewhere = await createProject(t, f.otherGroup, 'outside');
      await addMember(t, inSub, f.u1, 30);
      await addMember(t, elsewhere, f.u1, 30);
      await addMember(t, f.otherGroup, f.u1, 20);
      expect((await scim(t, 'delete', `${G}/Users/${UID}`, { token: f.TG })).status).toBe(204);
      const rows = await t.dataSource.query(
        `SELECT source_type, source_id FROM members WHERE user_id = $1 ORDER BY source_type, source_id`,
        [f.u1.id],
      );
      expect(rows).toEqual([
        { source_type: 'Namespace', source_id: Number(f.otherGroup.id) },
        { source_type: 'Project', source_id: Number(elsewhere.id) },
      ]);
    });

    it('dots in a group path are ordinary characters', async () => {
      const dotted = await createGroup(t, 'my.group', { name: 'My Group' });
      const token = await t.get<ScimTokensService>(ScimTokensService).issue(dotted.id);
      const res = await scim(t, 'post', '/api/scim/v2/groups/my.group/Users', {
        token,
        body: { externalId: 'dot', userName: 'dot', emails: [{ value: 'dot@example.com' }] },
      });
      expect(res.status).toBe(201);
      expect(res.headers.location).toBe('https://gitlab.example.com/api/scim/v2/groups/my.group/Users/dot');
      expectError(await scim(t, 'get', '/api/scim/v2/groups/my/Users', { token }), 404, undefined, 'Group my not found');
    });

    it('an existing direct membership is kept, never downgraded, when linking', async () => {
      const res = await scim(t, 'post', `${G}/Users`, {
        token: f.TG,
        body: { externalId: 'owner-link', userName: 'owner1', emails: [{ value: 'owner1@example.com' }] },
      });
      expect(res.status).toBe(201);
      expect(await memberLevel(f.owner1.id, f.testGroup.id)).toBe(50);
    });

    it('deleting the group removes its token and identities (cascade)', async () => {
      await t.dataSource.query(`DELETE FROM namespaces WHERE id = $1`, [f.sub.id]);
      await t.dataSource.query(`DELETE FROM namespaces WHERE id = $1`, [f.testGroup.id]);
      expect(
        await t.dataSource.query(`SELECT count(*)::int AS n FROM scim_identities WHERE group_id IS NOT NULL AND user_id = $1`, [f.u1.id]),
      ).toEqual([{ n: 0 }]);
      expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM scim_access_tokens WHERE group_id IS NOT NULL`)).toEqual([{ n: 1 }]);
    });
  });
});
