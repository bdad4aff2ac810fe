import { ACCESS_LEVEL } from '../../../src/namespaces/entities/member.entity';
import { Namespace } from '../../../src/namespaces/entities/namespace.entity';
import { User } from '../../../src/identity/entities/user.entity';
import { itRequiresAdmin } from '../../helpers/auth-examples';
import { addMember, createAdmin, createGroup, createPat, createUser } from '../../helpers/factories';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { count, dayOffset, personalNamespace } from './billing-fixtures';

/** GitLab.com mode (GITLAB_SAAS=true): add-ons, storage exclusions, compute packs, reconciliations. */
describe('Billing on GitLab.com', () => {
  let t: TestApp;
  let adm: Record<string, string>;
  let userToken: string;
  let seq = 0;
  const group = (opts: Parameters<typeof createGroup>[2] = {}) => createGroup(t, `sg${++seq}`, opts);
  const user = () => createUser(t, `su${++seq}`);
  const id = (x: { id: number | string }) => Number(x.id);

  beforeAll(async () => {
    t = await createTestApp({ GITLAB_SAAS: 'true' });
    adm = (await createAdmin(t)).headers;
    userToken = await createPat(t, await createUser(t, 'plain'));
  });
  afterAll(() => t.close());

  it('#17 (GitLab.com) a group without subscription has plan "free"; the plan comes from the root', async () => {
    const g = await group();
    const res = await t.http().get(`/api/v4/internal/gitlab_subscriptions/namespaces/${g.id}`).set(adm);
    expect(res.status).toBe(200);
    expect(res.body.plan).toBe('free');
    expect(res.body).not.toHaveProperty('seats_in_use');
    const s = await createGroup(t, `child${++seq}`, { parent: g });
    await t
      .http()
      .post(`/api/v4/namespaces/${g.id}/gitlab_subscription`)
      .set(adm)
      .send({ start_date: '2020-01-01', plan_code: 'gold', trial: true, trial_ends_on: '2020-02-01' });
    const sub = await t.http().get(`/api/v4/internal/gitlab_subscriptions/namespaces/${s.id}`).set(adm);
    expect(sub.body).toMatchObject({ plan: 'gold', trial: true, trial_ends_on: '2020-02-01' });
    expect(sub.body).not.toHaveProperty('end_date');
  });

  describe('add-on purchases', () => {
    const addOnUrl = (ns: Namespace | string, name = 'code_suggestions') =>
      `/api/v4/namespaces/${typeof ns === 'string' ? ns : ns.id}/subscription_add_on_purchase/${name}`;
    const body = (extra: Record<string, unknown> = {}) => ({
      quantity: 10,
      started_on: dayOffset(0),
      expires_on: dayOffset(0, 1),
      purchase_xid: 'A-S12345678',
      ...extra,
    });

    itRequiresAdmin(
      () => t,
      'post',
      '/api/v4/namespaces/1/subscription_add_on_purchase/code_suggestions',
      () => userToken,
    );

    it('#23 creates a purchase', async () => {
      const g = await group({ name: 'Group Twenty Three' });
      const res = await t.http().post(addOnUrl(g)).set(adm).send(body());
      expect(res.status).toBe(201);
      expect(JSON.stringify(res.body)).toBe(
        JSON.stringify({
          namespace_id: id(g),
          namespace_name: 'Group Twenty Three',
          add_on: 'Code Suggestions',
          quantity: 10,
          started_on: dayOffset(0),
          expires_on: dayOffset(0, 1),
          purchase_xid: 'A-S12345678',
          trial: false,
        }),
      );
    });

    it('#24 duplicate, quantity 0, unknown add-on, subgroup', async () => {
      const g = await group({ name: 'Dup Group' });
      expect((await t.http().post(addOnUrl(g)).set(adm).send(body())).status).toBe(201);
      const again = await t
        .http()
        .post(addOnUrl(g))
        .set(adm)
        .send(body({ quantity: 99 }));
      expect(again.status).toBe(400);
      expect(again.body).toEqual({
        message:
          '400 Bad request - Add-on purchase for namespace Dup Group and add-on Code Suggestions already exists, update the existing record',
      });
      expect(
        (await t.dataSource.query('SELECT quantity FROM subscription_add_on_purchases WHERE namespace_id = $1', [g.id]))[0].quantity,
      ).toBe(10);
      const zero = await t
        .http()
        .post(addOnUrl(g, 'product_analytics'))
        .set(adm)
        .send(body({ quantity: 0 }));
      expect(zero.status).toBe(400);
      expect(zero.body).toEqual({ message: { quantity: ['must be greater than or equal to 1'] } });
      const unknown = await t.http().post(addOnUrl(g, 'non-existing-add-on')).set(adm).send(body());
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({ message: '404 Subscription Add-on Not Found' });
      const s = await createGroup(t, `asub${++seq}`, { parent: g, name: 'Sub Name' });
      const sub = await t.http().post(addOnUrl(s)).set(adm).send(body());
      expect(sub.status).toBe(400);
      expect(sub.body).toEqual({ message: '400 Bad request - Namespace Sub Name is not a root namespace' });
    });

    it('model errors in order; personal namespace is invalid on GitLab.com; missing params', async () => {
      const p = await personalNamespace(t, await user());
      const res = await t
        .http()
        .post(addOnUrl(p))
        .set(adm)
        .send(body({ expires_on: null, quantity: null, purchase_xid: '' }));
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toBe(
        JSON.stringify({
          message: {
            expires_on: ["can't be blank"],
            namespace: ['is invalid'],
            quantity: ["can't be blank", 'is not a number'],
            purchase_xid: ["can't be blank"],
          },
        }),
      );
      const g = await group();
      const long = await t
        .http()
        .post(addOnUrl(g))
        .set(adm)
        .send(body({ purchase_xid: 'x'.repeat(256) }));
      expect(long.body).toEqual({ message: { purchase_xid: ['is too long (maximum is 255 characters)'] } });
      const missing = await t.http().post(addOnUrl(g)).set(adm).send({});
      expect(missing.body).toEqual({ error: 'quantity is missing, started_on is missing, expires_on is missing, purchase_xid is missing' });
      expect(await count(t, 'SELECT 1 FROM subscription_add_on_purchases WHERE namespace_id IN ($1, $2)', [p.id, g.id])).toBe(0);
    });

    it('#25 PUT applies only given values; GET none → 404 Not found; PUT none → 400', async () => {
      const g = await group({ name: 'Upd Group' });
      await t
        .http()
        .post(addOnUrl(g))
        .set(adm)
        .send(body({ quantity: 5 }));
      const res = await t
        .http()
        .put(addOnUrl(g))
        .set(adm)
        .send({ started_on: dayOffset(1), expires_on: dayOffset(0, 2) });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        quantity: 5,
        purchase_xid: 'A-S12345678',
        trial: false,
        started_on: dayOffset(1),
        expires_on: dayOffset(0, 2),
      });
      const get = await t.http().get(addOnUrl(g)).set(adm);
      expect(get.status).toBe(200);
      expect(get.body.expires_on).toBe(dayOffset(0, 2));
      const none = await t.http().get(addOnUrl(g, 'duo_enterprise')).set(adm);
      expect(none.status).toBe(404);
      expect(none.body).toEqual({ message: '404 Not found' });
      const put = await t
        .http()
        .put(addOnUrl(g, 'duo_enterprise'))
        .set(adm)
        .send({ started_on: dayOffset(0), expires_on: dayOffset(0, 1) });
      expect(put.status).toBe(400);
      expect(put.body).toEqual({
        message:
          '400 Bad request - Add-on purchase for namespace Upd Group and add-on Duo Enterprise does not exist, create a new record instead',
      });
      const bad = await t
        .http()
        .put(addOnUrl(g))
        .set(adm)
        .send({ started_on: dayOffset(0), expires_on: dayOffset(0, 1), quantity: 0 });
      expect(bad.body).toEqual({ message: { quantity: ['must be greater than or equal to 1'] } });
      const missing = await t.http().put(addOnUrl(g)).set(adm).send({ quantity: 3 });
      expect(missing.body).toEqual({ error: 'started_on is missing, expires_on is missing' });
    });

    it('20 parallel identical POSTs → one purchase, the others 400 already exists', async () => {
      const g = await group({ name: 'Race' });
      const results = await Promise.all(Array.from({ length: 20 }, () => t.http().post(addOnUrl(g)).set(adm).send(body())));
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      for (const r of results.filter((x) => x.status !== 201)) {
        expect(r.status).toBe(400);
        expect(r.body.message).toMatch(/already exists, update the existing record$/);
      }
      expect(await count(t, 'SELECT 1 FROM subscription_add_on_purchases WHERE namespace_id = $1', [g.id])).toBe(1);
    });
  });

  describe('storage limit exclusions', () => {
    it('#27 create, duplicate, subgroup, delete twice', async () => {
      const g = await group({ name: 'Excluded' });
      const url = `/api/v4/namespaces/${g.id}/storage/limit_exclusion`;
      const res = await t.http().post(url).set(adm).send({ reason: 'for testing reasons' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ id: expect.any(Number), namespace_id: id(g), namespace_name: 'Excluded', reason: 'for testing reasons' });
      expect(Object.keys(res.body)).toEqual(['id', 'namespace_id', 'namespace_name', 'reason']);
      const again = await t.http().post(url).set(adm).send({ reason: 'for testing reasons' });
      expect(again.status).toBe(400);
      expect(again.body).toEqual({ message: '400 Bad request - already excluded' });
      const s = await createGroup(t, `es${++seq}`, { parent: g });
      const sub = await t.http().post(`/api/v4/namespaces/${s.id}/storage/limit_exclusion`).set(adm).send({ reason: 'x' });
      expect(sub.status).toBe(400);
      expect(sub.body).toEqual({ message: '400 Bad request - must use a root namespace' });
      const subDelete = await t.http().delete(`/api/v4/namespaces/${s.id}/storage/limit_exclusion`).set(adm);
      expect(subDelete.body).toEqual({ message: '400 Bad request - must use a root namespace' });
      const del = await t.http().delete(url).set(adm);
      expect(del.status).toBe(204);
      expect(del.text).toBe('');
      const del2 = await t.http().delete(url).set(adm);
      expect(del2.status).toBe(400);
      expect(del2.body).toEqual({ message: '400 Bad request - not excluded' });
    });

    it('reason missing, blank, too long; personal namespaces are roots', async () => {
      const g = await group();
      const url = `/api/v4/namespaces/${g.id}/storage/limit_exclusion`;
      expect((await t.http().post(url).set(adm).send({})).body).toEqual({ error: 'reason is missing' });
      expect((await t.http().post(url).set(adm).send({ reason: '  ' })).body).toEqual({ message: { reason: ["can't be blank"] } });
      expect((await t.http().post(url).set(adm).send({ reason: null })).body).toEqual({ message: { reason: ["can't be blank"] } });
      expect(
        (
          await t
            .http()
            .post(url)
            .set(adm)
            .send({ reason: 'r'.repeat(256) })
        ).body,
      ).toEqual({ message: { reason: ['is too long (maximum is 255 characters)'] } });
      const p = await personalNamespace(t, await user());
      expect((await t.http().post(`/api/v4/namespaces/${p.id}/storage/limit_exclusion`).set(adm).send({ reason: 'ok' })).status).toBe(201);
      expect((await t.http().post('/api/v4/namespaces/999999/storage/limit_exclusion').set(adm).send({ reason: 'ok' })).status).toBe(404);
    });

    it('20 parallel identical POSTs → one exclusion, the others already excluded', async () => {
      const g = await group();
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          t.http().post(`/api/v4/namespaces/${g.id}/storage/limit_exclusion`).set(adm).send({ reason: 'race' }),
        ),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      for (const r of results.filter((x) => x.status !== 201)) {
        expect(r.status).toBe(400);
        expect(r.body).toEqual({ message: '400 Bad request - already excluded' });
      }
      expect(await count(t, 'SELECT 1 FROM namespace_storage_limit_exclusions WHERE namespace_id = $1', [g.id])).toBe(1);
    });

    it('#28 list, paginated', async () => {
      await t.dataSource.query('DELETE FROM namespace_storage_limit_exclusions');
      const made: number[] = [];
      for (let i = 0; i < 5; i++) {
        const g = await group();
        const res = await t
          .http()
          .post(`/api/v4/namespaces/${g.id}/storage/limit_exclusion`)
          .set(adm)
          .send({ reason: `r${i}` });
        made.push(res.body.id);
      }
      const res = await t.http().get('/api/v4/namespaces/storage/limit_exclusions?per_page=2').set(adm);
      expect(res.status).toBe(200);
      expect(res.body.map((e: { id: number }) => e.id)).toEqual(made.slice(0, 2));
      expect(res.headers['x-total']).toBe('5');
      expect(res.headers['x-total-pages']).toBe('3');
      expect(res.headers['x-next-page']).toBe('2');
      const last = await t.http().get('/api/v4/namespaces/storage/limit_exclusions?per_page=2&page=3').set(adm);
      expect(last.body.map((e: { reason: string }) => e.reason)).toEqual(['r4']);
      const past = await t.http().get('/api/v4/namespaces/storage/limit_exclusions?per_page=2&page=9').set(adm);
      expect(past.body).toEqual([]);
    });
  });

  describe('compute packs', () => {
    const XID = '46952fe69bebc1a4de10b2b4ff439d0c';
    const packsUrl = (ns: Namespace | number) => `/api/v4/namespaces/${typeof ns === 'number' ? ns : ns.id}/minutes`;

    it('#29 creating the same pack twice is idempotent', async () => {
      const g = await group();
      const body = { packs: [{ number_of_minutes: 10000, expires_at: dayOffset(0, 1), purchase_xid: XID }] };
      const expected = [{ namespace_id: id(g), expires_at: dayOffset(0, 1), number_of_minutes: 10000, purchase_xid: XID }];
      for (let i = 0; i < 2; i++) {
        const res = await t.http().post(packsUrl(g)).set(adm).send(body);
        expect(res.status).toBe(201);
        expect(res.body).toEqual(expected);
        expect(Object.keys(res.body[0])).toEqual(['namespace_id', 'expires_at', 'number_of_minutes', 'purchase_xid']);
      }
      expect(await count(t, 'SELECT 1 FROM ci_minutes_additional_packs WHERE purchase_xid = $1', [XID])).toBe(1);
    });

    it('#30 stored values win; duplicates in one request; a bad pack rolls back all', async () => {
      const g = await group();
      const X = `x-${seq}`;
      const Y = `y-${seq}`;
      await t
        .http()
        .post(packsUrl(g))
        .set(adm)
        .send({ packs: [{ number_of_minutes: 20000, expires_at: dayOffset(0, 1), purchase_xid: X }] });
      const before = await count(t, 'SELECT 1 FROM ci_minutes_additional_packs');
      const res = await t
        .http()
        .post(packsUrl(g))
        .set(adm)
        .send({
          packs: [
            { number_of_minutes: 10000, expires_at: dayOffset(0, 1), purchase_xid: X },
            { number_of_minutes: 500, expires_at: dayOffset(0, 1), purchase_xid: Y },
            { number_of_minutes: 500, expires_at: dayOffset(0, 1), purchase_xid: Y },
          ],
        });
      expect(res.status).toBe(201);
      expect(res.body.map((p: { number_of_minutes: number; purchase_xid: string }) => [p.purchase_xid, p.number_of_minutes])).toEqual([
        [X, 20000],
        [Y, 500],
        [Y, 500],
      ]);
      expect(await count(t, 'SELECT 1 FROM ci_minutes_additional_packs')).toBe(before + 1);
      const bad = await t
        .http()
        .post(packsUrl(g))
        .set(adm)
        .send({
          packs: [
            { number_of_minutes: 1, expires_at: dayOffset(0, 1), purchase_xid: `new-${seq}` },
            { number_of_minutes: 1, expires_at: dayOffset(0, 1), purchase_xid: 'z'.repeat(33) },
          ],
        });
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({ message: '400 Bad request - Unable to save additional packs' });
      expect(await count(t, 'SELECT 1 FROM ci_minutes_additional_packs')).toBe(before + 1);
    });

    it('a purchase_xid of another namespace, null minutes or null expiry (GitLab.com) → Unable to save', async () => {
      const g = await group();
      const h = await group();
      await t
        .http()
        .post(packsUrl(g))
        .set(adm)
        .send({ packs: [{ number_of_minutes: 1, expires_at: dayOffset(9), purchase_xid: `own-${seq}` }] });
      for (const pack of [
        { number_of_minutes: 1, expires_at: dayOffset(9), purchase_xid: `own-${seq}` },
        { number_of_minutes: null, expires_at: dayOffset(9), purchase_xid: `n-${seq}` },
        { number_of_minutes: 1, expires_at: null, purchase_xid: `e-${seq}` },
        { number_of_minutes: 1, expires_at: dayOffset(9), purchase_xid: '' },
      ]) {
        const res = await t
          .http()
          .post(packsUrl(h))
          .set(adm)
          .send({ packs: [pack] });
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ message: '400 Bad request - Unable to save additional packs' });
      }
      expect(await count(t, 'SELECT 1 FROM ci_minutes_additional_packs WHERE namespace_id = $1', [h.id])).toBe(0);
    });

    it('parameter errors of packs', async () => {
      const g = await group();
      expect((await t.http().post(packsUrl(g)).set(adm).send({})).body).toEqual({ error: 'packs is missing' });
      expect((await t.http().post(packsUrl(g)).set(adm).send({ packs: 'x' })).body).toEqual({ error: 'packs is invalid' });
      expect(
        (
          await t
            .http()
            .post(packsUrl(g))
            .set(adm)
            .send({ packs: [{ number_of_minutes: 1, expires_at: dayOffset(1) }] })
        ).body,
      ).toEqual({
        error: 'packs[0][purchase_xid] is missing',
      });
      expect(
        (
          await t
            .http()
            .post(packsUrl(g))
            .set(adm)
            .send({ packs: [{ number_of_minutes: 1, expires_at: 'soon', purchase_xid: 'a' }] })
        ).body,
      ).toEqual({
        error: 'packs[0][expires_at] is invalid',
      });
      const form = await t
        .http()
        .post(packsUrl(g))
        .set(adm)
        .type('form')
        .send(`packs[][number_of_minutes]=1000&packs[][expires_at]=${dayOffset(5)}&packs[][purchase_xid]=form-${seq}`);
      expect(form.status).toBe(201);
      expect(form.body).toEqual([{ namespace_id: id(g), expires_at: dayOffset(5), number_of_minutes: 1000, purchase_xid: `form-${seq}` }]);
    });

    it('20 parallel identical POSTs → one row, every answer 201 with the same pack', async () => {
      const g = await group();
      const xid = `race-${seq}`;
      const body = { packs: [{ number_of_minutes: 7, expires_at: dayOffset(3), purchase_xid: xid }] };
      const results = await Promise.all(Array.from({ length: 20 }, () => t.http().post(packsUrl(g)).set(adm).send(body)));
      for (const r of results) {
        expect(r.status).toBe(201);
        expect(r.body).toEqual([{ namespace_id: id(g), expires_at: dayOffset(3), number_of_minutes: 7, purchase_xid: xid }]);
      }
      expect(await count(t, 'SELECT 1 FROM ci_minutes_additional_packs WHERE purchase_xid = $1', [xid])).toBe(1);
    });

    describe('move', () => {
      let owner: User;
      const packsOf = async (ns: Namespace) =>
        (await t.dataSource.query(
          'SELECT id, purchase_xid, number_of_minutes, expires_at FROM ci_minutes_additional_packs WHERE namespace_id = $1 ORDER BY id',
          [ns.id],
        )) as {
          id: number;
        }[];
      const move = (from: Namespace | number, to: Namespace | number) =>
        t
          .http()
          .patch(`/api/v4/namespaces/${typeof from === 'number' ? from : from.id}/minutes/move/${typeof to === 'number' ? to : to.id}`)
          .set(adm);
      const withPacks = async (n: number) => {
        const g = await group();
        await addMember(t, g, owner, ACCESS_LEVEL.OWNER);
        const packs = Array.from({ length: n }, (_, i) => ({
          number_of_minutes: 100 * (i + 1),
          expires_at: i === 0 ? dayOffset(-30) : dayOffset(30),
          purchase_xid: `mv-${seq}-${i}`,
        }));
        if (n) await t.http().post(packsUrl(g)).set(adm).send({ packs });
        return g;
      };
      beforeAll(async () => {
        owner = await user();
      });

      it('#31 moves every pack (expired included) before answering 202', async () => {
        const G = await withPacks(2);
        const H = await withPacks(0);
        const before = await packsOf(G);
        const res = await move(G, H);
        expect(res.status).toBe(202);
        expect(res.body).toEqual({ message: '202 Accepted' });
        expect(await packsOf(G)).toEqual([]);
        expect(await packsOf(H)).toEqual(before);
        const repeat = await move(G, H);
        expect(repeat.status).toBe(202);
        expect(await packsOf(H)).toEqual(before);
        const same = await move(H, H);
        expect(same.status).toBe(202);
        expect(await packsOf(H)).toEqual(before);
      });

      it('a personal namespace of the owner shares the owner with the group', async () => {
        const G = await withPacks(1);
        const P = await personalNamespace(t, owner);
        const res = await move(G, P);
        expect(res.status).toBe(202);
        expect(await packsOf(P)).toHaveLength(1);
      });

      it('#32 subgroup source, subgroup target, unknown target, no common owner', async () => {
        const G = await withPacks(1);
        const H = await withPacks(0);
        const S = await createGroup(t, `ms${++seq}`, { parent: G });
        const K = await group();
        await addMember(t, K, await user(), ACCESS_LEVEL.OWNER);
        await addMember(t, K, owner, ACCESS_LEVEL.MAINTAINER);
        const cases: [Promise<{ status: number; body: unknown }>, number, unknown][] = [
          [move(S, H), 400, { message: '400 Bad request - Namespace must be a top-level namespace' }],
          [move(G, S), 400, { message: '400 Bad request - Target namespace must be a top-level namespace' }],
          [move(G, 999999), 404, { message: '404 Target namespace Not Found' }],
          [move(999999, G), 404, { message: '404 Namespace Not Found' }],
          [move(G, K), 400, { message: '400 Bad request - Both namespaces must share the same owner' }],
        ];
        for (const [promise, status, body] of cases) {
          const res = await promise;
          expect(res.status).toBe(status);
          expect(res.body).toEqual(body);
        }
        expect(await packsOf(G)).toHaveLength(1);
      });

      it('a blocked common owner does not count', async () => {
        const blocked = await createUser(t, `blk${++seq}`, { state: 'blocked' });
        const G = await group();
        const H = await group();
        await addMember(t, G, blocked, ACCESS_LEVEL.OWNER);
        await addMember(t, H, blocked, ACCESS_LEVEL.OWNER);
        const res = await move(G, H);
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ message: '400 Bad request - Both namespaces must share the same owner' });
      });

      it('all or nothing: a write failing midway leaves every pack in the source', async () => {
        const G = await withPacks(3);
        const H = await withPacks(0);
        const before = await packsOf(G);
        const failing = `mv-${seq}-fail`;
        await t.dataSource.query(`UPDATE ci_minutes_additional_packs SET purchase_xid = $1 WHERE id = $2`, [failing, before[1].id]);
        await t.dataSource.query(`
          CREATE OR REPLACE FUNCTION billing_test_fail_move() RETURNS trigger AS $$
          BEGIN
            IF NEW.purchase_xid LIKE '%-fail' THEN RAISE EXCEPTION 'deliberate failure'; END IF;
            RETURN NEW;
          END $$ LANGUAGE plpgsql`);
        await t.dataSource.query(
          `CREATE TRIGGER billing_test_fail_move BEFORE UPDATE ON ci_minutes_additional_packs FOR EACH ROW EXECUTE FUNCTION billing_test_fail_move()`,
        );
        try {
          const expected = await packsOf(G);
          const res = await move(G, H);
          expect(res.status).toBe(500);
          expect(res.body).toEqual({ message: '500 Internal Server Error' });
          expect(await packsOf(G)).toEqual(expected);
          expect(await packsOf(H)).toEqual([]);
        } finally {
          await t.dataSource.query('DROP TRIGGER billing_test_fail_move ON ci_minutes_additional_packs');
        }
        expect((await move(G, H)).status).toBe(202);
        expect(await packsOf(H)).toHaveLength(3);
      });
    });
  });

  describe('upcoming reconciliations', () => {
    const oldUrl = '/api/v4/internal/upcoming_reconciliations';
    const newUrl = (ns: Namespace | string | number) =>
      `/api/v4/internal/gitlab_subscriptions/namespaces/${typeof ns === 'object' ? ns.id : ns}/upcoming_reconciliations`;
    const rowOf = async (ns: Namespace) =>
      t.dataSource.query('SELECT next_reconciliation_date, display_alert_from FROM upcoming_reconciliations WHERE namespace_id = $1', [
        ns.id,
      ]);

    it('on GitLab.com the admin token is required', async () => {
      expect((await t.http().put(oldUrl).send({})).status).toBe(401);
      const res = await t.http().put(oldUrl).set('PRIVATE-TOKEN', userToken).send({});
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ message: '403 Forbidden' });
    });

    it('#34 old PUT creates then updates one row per namespace', async () => {
      const n = await group();
      const res = await t
        .http()
        .put(oldUrl)
        .set(adm)
        .send({
          upcoming_reconciliations: [{ namespace_id: id(n), next_reconciliation_date: '13 Jun 2021', display_alert_from: '06 Jun 2021' }],
        });
      expect(res.status).toBe(200);
      expect(res.text).toBe('200');
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(await rowOf(n)).toEqual([{ next_reconciliation_date: '2021-06-13', display_alert_from: '2021-06-06' }]);
      const again = await t
        .http()
        .put(oldUrl)
        .set(adm)
        .send({
          upcoming_reconciliations: [
            { namespace_id: id(n), next_reconciliation_date: '2021-07-13', display_alert_from: '2021-07-06' },
            { namespace_id: String(n.id), next_reconciliation_date: '2021-08-13', display_alert_from: '2021-08-06' },
          ],
        });
      expect(again.status).toBe(200);
      expect(await rowOf(n)).toEqual([{ next_reconciliation_date: '2021-08-13', display_alert_from: '2021-08-06' }]);
    });

    it('#35 null namespace_id → is empty; unknown namespace → JSON error text, nothing written', async () => {
      const n = await group();
      const empty = await t
        .http()
        .put(oldUrl)
        .set(adm)
        .send({
          upcoming_reconciliations: [{ namespace_id: null, next_reconciliation_date: '2021-06-13', display_alert_from: '2021-06-06' }],
        });
      expect(empty.status).toBe(400);
      expect(empty.body).toEqual({ error: 'upcoming_reconciliations[namespace_id] is empty' });
      const res = await t
        .http()
        .put(oldUrl)
        .set(adm)
        .send({
          upcoming_reconciliations: [
            { namespace_id: 127000, next_reconciliation_date: '2021-06-13', display_alert_from: '2021-06-06' },
            { namespace_id: id(n), next_reconciliation_date: '2021-06-13', display_alert_from: '2021-06-06' },
          ],
        });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ message: { error: '[{"127000":["Namespace can\'t be blank"]}]' } });
      expect(await rowOf(n)).toEqual([]);
      const missing = await t.http().put(oldUrl).set(adm).send({});
      expect(missing.body).toEqual({ error: 'upcoming_reconciliations is missing' });
      const badDate = await t
        .http()
        .put(oldUrl)
        .set(adm)
        .send({ upcoming_reconciliations: [{ namespace_id: id(n), next_reconciliation_date: 'x', display_alert_from: '2021-06-06' }] });
      expect(badDate.body).toEqual({ error: 'upcoming_reconciliations[next_reconciliation_date] is invalid' });
      const blank = await t
        .http()
        .put(oldUrl)
        .set(adm)
        .send({ upcoming_reconciliations: [{ namespace_id: id(n), next_reconciliation_date: null, display_alert_from: null }] });
      expect(blank.body).toEqual({
        message: {
          error: JSON.stringify([{ [String(n.id)]: ["Next reconciliation date can't be blank", "Display alert from can't be blank"] }]),
        },
      });
    });

    it('#36 old DELETE twice; without namespace_id', async () => {
      const n = await group();
      await t
        .http()
        .put(oldUrl)
        .set(adm)
        .send({
          upcoming_reconciliations: [{ namespace_id: id(n), next_reconciliation_date: '2021-06-13', display_alert_from: '2021-06-06' }],
        });
      const del = await t.http().delete(`${oldUrl}?namespace_id=${n.id}`).set(adm);
      expect(del.status).toBe(204);
      expect(await rowOf(n)).toEqual([]);
      const del2 = await t.http().delete(`${oldUrl}?namespace_id=${n.id}`).set(adm);
      expect(del2.status).toBe(404);
      expect(del2.body).toEqual({ message: '404 Not Found' });
      const missing = await t.http().delete(oldUrl).set(adm);
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({ error: 'namespace_id is missing' });
      expect((await t.http().delete(`${oldUrl}?namespace_id=`).set(adm)).body).toEqual({ error: 'namespace_id is empty' });
      expect((await t.http().delete(`${oldUrl}?namespace_id=abc`).set(adm)).body).toEqual({ error: 'namespace_id is invalid' });
    });

    it('#37 new PUT (flat body), null date, unknown namespace, DELETE twice', async () => {
      const g = await group();
      const res = await t
        .http()
        .put(newUrl(g))
        .set(adm)
        .send({ next_reconciliation_date: dayOffset(5), display_alert_from: dayOffset(-2) });
      expect(res.status).toBe(200);
      expect(res.text).toBe('200');
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(await rowOf(g)).toEqual([{ next_reconciliation_date: dayOffset(5), display_alert_from: dayOffset(-2) }]);
      const nul = await t
        .http()
        .put(newUrl(g))
        .set(adm)
        .send({ next_reconciliation_date: null, display_alert_from: dayOffset(-2) });
      expect(nul.status).toBe(400);
      expect(nul.body).toEqual({ message: { error: "Next reconciliation date can't be blank" } });
      const unknown = await t
        .http()
        .put(newUrl(-1))
        .set(adm)
        .send({ next_reconciliation_date: dayOffset(5), display_alert_from: dayOffset(-2) });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({ message: '404 Namespace Not Found' });
      expect((await t.http().put(newUrl('abc')).set(adm).send({})).body).toEqual({ error: 'namespace_id is invalid' });
      const del = await t.http().delete(newUrl(g)).set(adm);
      expect(del.status).toBe(204);
      const del2 = await t.http().delete(newUrl(g)).set(adm);
      expect(del2.status).toBe(404);
      expect(del2.body).toEqual({ message: '404 Not Found' });
      const unknownDelete = await t.http().delete(newUrl(999999)).set(adm);
      expect(unknownDelete.body).toEqual({ message: '404 Namespace Not Found' });
    });

    it('new PUT accepts the doc’s one-element array and updates the row', async () => {
      const g = await group();
      await t.http().put(newUrl(g)).set(adm).send({ next_reconciliation_date: '2021-01-10', display_alert_from: '2021-01-03' });
      const res = await t
        .http()
        .put(newUrl(g))
        .set(adm)
        .send({ upcoming_reconciliations: [{ next_reconciliation_date: '10.02.2021', display_alert_from: 'Feb 3, 2021' }] });
      expect(res.status).toBe(200);
      expect(await rowOf(g)).toEqual([{ next_reconciliation_date: '2021-02-10', display_alert_from: '2021-02-03' }]);
      const missing = await t.http().put(newUrl(g)).set(adm).send({});
      expect(missing.body).toEqual({ error: 'next_reconciliation_date is missing, display_alert_from is missing' });
    });
  });
});
