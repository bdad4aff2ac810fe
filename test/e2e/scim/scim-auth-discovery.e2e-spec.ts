import { createHash } from 'node:crypto';
import { TestApp } from '../../helpers/test-app';
import { oracle } from './oracle';
import { createScimApp, expectError, Fixtures, G, I, LIST_URN, resetFixtures, scim, UID, USER_URN } from './scim-fixtures';

describe('SCIM authentication, routing, tokens and discovery', () => {
  let t: TestApp;
  let f: Fixtures;
  beforeAll(async () => {
    t = await createScimApp();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    f = await resetFixtures(t);
  });

  const X: [string, string, () => string][] = [
    ['G', G, () => f.TG],
    ['I', I, () => f.TI],
  ];

  describe.each(X)('on %s', (_name, base, token) => {
    it('#1 GET /Users without credentials → 401 SCIM error with message', async () => {
      const res = await scim(t, 'get', `${base}/Users`);
      expectError(res, 401, undefined, '401 Unauthorized');
    });

    it('#8 unknown resource → 404; PATCH /Users → 405 Allow GET, POST; PUT /Users/UID → 405 Allow GET, PATCH, DELETE', async () => {
      expectError(await scim(t, 'get', `${base}/Groups`, { token: token() }), 404, undefined, '404 Not Found');
      const patch = await scim(t, 'patch', `${base}/Users`, { token: token(), body: {} });
      expectError(patch, 405, undefined, '405 Method Not Allowed');
      expect(patch.headers.allow).toBe('GET, POST');
      const put = await scim(t, 'put', `${base}/Users/${UID}`, {
        token: token(),
        body: { schemas: [USER_URN], externalId: UID, userName: 'username', emails: [{ value: 'name@example.com' }] },
      });
      expectError(put, 405, undefined, '405 Method Not Allowed');
      expect(put.headers.allow).toBe('GET, PATCH, DELETE');
      const del = await scim(t, 'delete', `${base}/Users`, { token: token() });
      expect(del.status).toBe(405);
      const post = await scim(t, 'post', `${base}/ServiceProviderConfig`, { token: token(), body: {} });
      expect(post.status).toBe(405);
      expect(post.headers.allow).toBe('GET');
    });

    it('#49 ServiceProviderConfig', async () => {
      const res = await scim(t, 'get', `${base}/ServiceProviderConfig`, { token: token() });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
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
        meta: { resourceType: 'ServiceProviderConfig', location: `https://gitlab.example.com${base}/ServiceProviderConfig` },
      });
    });

    it('#50 Schemas and ResourceTypes', async () => {
      const list = await scim(t, 'get', `${base}/Schemas`, { token: token() });
      expect(list.status).toBe(200);
      expect(list.body).toMatchObject({ schemas: [LIST_URN], totalResults: 1, itemsPerPage: 1, startIndex: 1 });
      const schema = list.body.Resources[0];
      expect(schema.id).toBe(USER_URN);
      expect(schema.attributes.map((a: { name: string }) => a.name)).toEqual(['userName', 'name', 'emails', 'active']);
      expect(schema.meta).toEqual({ resourceType: 'Schema', location: `https://gitlab.example.com${base}/Schemas/${USER_URN}` });
      const one = await scim(t, 'get', `${base}/Schemas/${USER_URN}`, { token: token() });
      expect(one.status).toBe(200);
      expect(one.body).toEqual(schema);
      expectError(await scim(t, 'get', `${base}/Schemas/urn:foo`, { token: token() }), 404, undefined, 'Resource urn:foo not found');
      const types = await scim(t, 'get', `${base}/ResourceTypes`, { token: token() });
      expect(types.status).toBe(200);
      const userType = {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
        id: 'User',
        name: 'User',
        endpoint: '/Users',
        description: 'User Account',
        schema: USER_URN,
        meta: { resourceType: 'ResourceType', location: `https://gitlab.example.com${base}/ResourceTypes/User` },
      };
      expect(types.body).toEqual({ schemas: [LIST_URN], totalResults: 1, itemsPerPage: 1, startIndex: 1, Resources: [userType] });
      const user = await scim(t, 'get', `${base}/ResourceTypes/User`, { token: token() });
      expect(user.status).toBe(200);
      expect(user.body).toEqual(userType);
      expectError(await scim(t, 'get', `${base}/ResourceTypes/Group`, { token: token() }), 404, undefined, 'Resource Group not found');
    });

    it('#51 discovery needs credentials; a filter is refused with 403', async () => {
      expectError(await scim(t, 'get', `${base}/ServiceProviderConfig`), 401, undefined, '401 Unauthorized');
      const res = await scim(t, 'get', `${base}/Schemas?filter=${encodeURIComponent('id eq "x"')}`, { token: token() });
      expectError(res, 403, undefined, 'Filtering is not supported on this endpoint');
      expect((await scim(t, 'get', `${base}/ResourceTypes?filter=`, { token: token() })).status).toBe(200);
    });

    it('resource segments are case-insensitive and a trailing slash is accepted without a redirect', async () => {
      expect((await scim(t, 'get', `${base}/users`, { token: token() })).status).toBe(200);
      expect((await scim(t, 'get', `${base}/USERS/${UID}`, { token: token() })).status).toBe(200);
      expect((await scim(t, 'get', `${base}/Users/`, { token: token() })).status).toBe(200);
      expect((await scim(t, 'get', `${base}/serviceproviderconfig`, { token: token() })).status).toBe(200);
      const created = await scim(t, 'post', `${base}/Users/`, {
        token: token(),
        body: { externalId: 'slash', userName: 'slash', emails: [{ value: 'slash@example.com' }] },
      });
      expect(created.status).toBe(201);
    });
  });

  it('#2 token checks: unknown, other group, instance, group-on-instance → 401; access_token and lower-case bearer → 200', async () => {
    for (const [path, tok] of [
      [`${G}/Users`, 'glsoat-xxxxxxxxxxxxxxxxxxxx'],
      [`${G}/Users`, f.TO],
      [`${G}/Users`, f.TI],
      [`${I}/Users`, f.TG],
    ]) {
      expectError(await scim(t, 'get', path, { token: tok }), 401, undefined, '401 Unauthorized');
    }
    const query = await scim(t, 'get', `${G}/Users?access_token=${f.TG}`);
    expect(query.status).toBe(200);
    expect(query.body.schemas).toEqual([LIST_URN]);
    const lower = await scim(t, 'get', `${G}/Users`, { headers: { Authorization: `bearer ${f.TG}` } });
    expect(lower.status).toBe(200);
    expect(lower.body.schemas).toEqual([LIST_URN]);
  });

  it('access_token wins over the header; other Authorization schemes count as no token', async () => {
    expect((await scim(t, 'get', `${G}/Users?access_token=${f.TG}`, { token: 'glsoat-wrongwrongwrongwrong' })).status).toBe(200);
    expect((await scim(t, 'get', `${G}/Users?access_token=glsoat-wrongwrongwrongwrong`, { token: f.TG })).status).toBe(401);
    expect((await scim(t, 'get', `${G}/Users`, { headers: { Authorization: `Token ${f.TG}` } })).status).toBe(401);
    expect(
      (await scim(t, 'get', `${G}/Users`, { headers: { Authorization: `Basic ${Buffer.from(`x:${f.TG}`).toString('base64')}` } })).status,
    ).toBe(401);
  });

  it('#3 unknown group → 404 before the token check', async () => {
    for (const tok of [undefined, f.TG]) {
      expectError(
        await scim(t, 'get', '/api/scim/v2/groups/no_such_group/Users', { token: tok }),
        404,
        undefined,
        'Group no_such_group not found',
      );
    }
    // a user namespace is no group; a huge numeric id is no group either
    expectError(await scim(t, 'get', '/api/scim/v2/groups/carol/Users', { token: f.TG }), 404, undefined, 'Group carol not found');
    expectError(
      await scim(t, 'get', '/api/scim/v2/groups/99999999999999999999999/Users'),
      404,
      undefined,
      'Group 99999999999999999999999 not found',
    );
    // a subgroup exists but never has a token
    expectError(await scim(t, 'get', '/api/scim/v2/groups/test_group%2Fsub/Users', { token: f.TG }), 401, undefined, '401 Unauthorized');
  });

  it('#4 group by upper-case path or numeric id; meta.location uses the stored path', async () => {
    for (const path of ['/api/scim/v2/groups/TEST_GROUP/Users', `/api/scim/v2/groups/${f.testGroup.id}/Users`]) {
      const res = await scim(t, 'get', path, { token: f.TG });
      expect(res.status).toBe(200);
      expect(res.body.Resources[0].meta.location).toBe(`https://gitlab.example.com/api/scim/v2/groups/test_group/Users/${UID}`);
    }
  });

  it('#5 issuing a group token replaces the old one', async () => {
    const res = await t.http().post('/api/v4/groups/test_group/scim/token').set('PRIVATE-TOKEN', f.ADM);
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(Object.keys(res.body)).toEqual(['token']);
    expect(res.body.token).toMatch(/^glsoat-[A-Za-z0-9_-]{20}$/);
    expect((await scim(t, 'get', `${G}/Users`, { token: f.TG })).status).toBe(401);
    expect((await scim(t, 'get', `${G}/Users`, { token: res.body.token })).status).toBe(200);
    // only the digest is stored, one row per group
    const rows = await t.dataSource.query(`SELECT token_digest FROM scim_access_tokens WHERE group_id = $1`, [f.testGroup.id]);
    expect(rows).toEqual([{ token_digest: createHash('sha256').update(res.body.token).digest('hex') }]);
  });

  it('#6 instance token: 403 for a non-admin, 401 without credentials, 201 for an admin (old token dies)', async () => {
    const user = await t.http().post('/api/v4/application/scim/token').set('PRIVATE-TOKEN', f.USR);
    expect(user.status).toBe(403);
    expect(user.body).toEqual({ message: '403 Forbidden' });
    const anonymous = await t.http().post('/api/v4/application/scim/token');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ message: '401 Unauthorized' });
    const admin = await t.http().post('/api/v4/application/scim/token').set('PRIVATE-TOKEN', f.ADM);
    expect(admin.status).toBe(201);
    expect(admin.headers['cache-control']).toBe('no-store');
    expect(admin.body.token).toMatch(/^glsoat-[A-Za-z0-9_-]{20}$/);
    expect((await scim(t, 'get', `${I}/Users`, { token: f.TI })).status).toBe(401);
    expect((await scim(t, 'get', `${I}/Users`, { token: admin.body.token })).status).toBe(200);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM scim_access_tokens WHERE group_id IS NULL`)).toEqual([{ n: 1 }]);
  });

  it('concurrent token issues leave one row and exactly one working token', async () => {
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => t.http().post('/api/v4/groups/test_group/scim/token').set('PRIVATE-TOKEN', f.ADM)),
    );
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM scim_access_tokens WHERE group_id = $1`, [f.testGroup.id])).toEqual([
      { n: 1 },
    ]);
    let working = 0;
    for (const a of answers) if ((await scim(t, 'get', `${G}/Users`, { token: a.body.token })).status === 200) working++;
    expect(working).toBe(1);
  });

  it('#7 default_access_level: 30 applies to new members; 50 is refused; subgroups get no token', async () => {
    const set = await t.http().post('/api/v4/groups/test_group/scim/token').set('PRIVATE-TOKEN', f.ADM).send({ default_access_level: 30 });
    expect(set.status).toBe(201);
    const created = await scim(t, 'post', `${G}/Users`, {
      token: set.body.token,
      body: { externalId: 'new-30', userName: 'new30', emails: [{ primary: true, type: 'work', value: 'new30@example.com' }] },
    });
    expect(created.status).toBe(201);
    const rows = await t.dataSource.query(
      `SELECT m.access_level FROM members m JOIN users u ON u.id = m.user_id WHERE u.email = 'new30@example.com' AND m.source_type = 'Namespace' AND m.source_id = $1`,
      [f.testGroup.id],
    );
    expect(rows).toEqual([{ access_level: 30 }]);
    const bad = await t.http().post('/api/v4/groups/test_group/scim/token').set('PRIVATE-TOKEN', f.ADM).send({ default_access_level: 50 });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: 'default_access_level does not have a valid value' });
    const sub = await t.http().post('/api/v4/groups/test_group%2Fsub/scim/token').set('PRIVATE-TOKEN', f.ADM);
    expect(sub.status).toBe(400);
    expect(sub.body).toEqual({ message: '400 Bad request - SCIM tokens can only be issued for top-level groups' });
    // the refused calls changed nothing: the token of the first call still works
    expect((await scim(t, 'get', `${G}/Users`, { token: set.body.token })).status).toBe(200);
  });

  it('token admin route: unknown group 404, numeric id, omitted level keeps the stored one, form bodies', async () => {
    const missing = await t.http().post('/api/v4/groups/nope/scim/token').set('PRIVATE-TOKEN', f.ADM);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ message: '404 Group Not Found' });
    const user = await t.http().post('/api/v4/groups/test_group/scim/token').set('PRIVATE-TOKEN', f.USR);
    expect(user.status).toBe(403);
    const form = await t
      .http()
      .post(`/api/v4/groups/${f.testGroup.id}/scim/token`)
      .set('PRIVATE-TOKEN', f.ADM)
      .type('form')
      .send('default_access_level=20');
    expect(form.status).toBe(201);
    const again = await t.http().post(`/api/v4/groups/${f.testGroup.id}/scim/token`).set('PRIVATE-TOKEN', f.ADM);
    expect(again.status).toBe(201);
    expect(await t.dataSource.query(`SELECT default_access_level FROM scim_group_settings WHERE group_id = $1`, [f.testGroup.id])).toEqual([
      { default_access_level: 20 },
    ]);
    const text = await t
      .http()
      .post('/api/v4/groups/test_group/scim/token')
      .set('PRIVATE-TOKEN', f.ADM)
      .send({ default_access_level: 'abc' });
    expect(text.status).toBe(400);
    expect(text.body).toEqual({ error: 'default_access_level is invalid' });
  });

  it('unknown paths under /api/scim answer a SCIM 404 without credentials', async () => {
    for (const path of [
      '/api/scim/v2/Bulk',
      '/api/scim/v2/Me',
      `${G}/.search`,
      `${I}/Groups`,
      '/api/scim/v2/groups/test_group/Users/a/b',
    ]) {
      expectError(await scim(t, 'get', path), 404, undefined, '404 Not Found');
    }
    expectError(await scim(t, 'post', `${I}/Bulk`, { body: {} }), 404, undefined, '404 Not Found');
  });

  it('request media types and body syntax: 400 invalidSyntax after authentication, 413 over 1 MiB', async () => {
    const body = JSON.stringify({ externalId: 'mt', userName: 'mt', emails: [{ value: 'mt@example.com' }] });
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      expectError(
        await scim(t, 'post', `${I}/Users`, { token: f.TI, raw: body, contentType }),
        400,
        'invalidSyntax',
        'Request body must be a JSON object',
      );
    }
    expectError(await scim(t, 'post', `${I}/Users`, { token: f.TI }), 400, 'invalidSyntax', 'Request body must be a JSON object');
    expectError(
      await scim(t, 'post', `${I}/Users`, { token: f.TI, raw: '"text"' }),
      400,
      'invalidSyntax',
      'Request body must be a JSON object',
    );
    expectError(await scim(t, 'post', `${I}/Users`, { token: f.TI, raw: '' }), 400, 'invalidSyntax', 'Request body must be a JSON object');
    const big = JSON.stringify({
      externalId: 'big',
      userName: 'big',
      emails: [{ value: 'big@example.com' }],
      pad: 'x'.repeat(1024 * 1024),
    });
    expectError(await scim(t, 'post', `${I}/Users`, { token: f.TI, raw: big }), 413, undefined, 'Request body is too large');
    expectError(
      await scim(t, 'post', `${I}/Users`, { token: 'glsoat-wrongwrongwrongwrong', raw: big }),
      401,
      undefined,
      '401 Unauthorized',
    );
    expectError(
      await scim(t, 'patch', `${I}/Users/${UID}`, { token: f.TI, raw: '{"Operations":', contentType: 'application/json' }),
      400,
      'invalidSyntax',
      'Request body must be a JSON object',
    );
    // a GET with a SCIM content type and no body is fine; the query string never becomes a body
    const get = await scim(t, 'get', `${I}/Users?externalId=x`, { token: f.TI, headers: { 'Content-Type': 'application/scim+json' } });
    expect(get.status).toBe(200);
    expect(get.body.totalResults).toBe(1);
  });
});
