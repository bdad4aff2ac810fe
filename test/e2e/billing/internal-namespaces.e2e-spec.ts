import { createHash } from 'node:crypto';
import { ACCESS_LEVEL } from '../../../src/namespaces/entities/member.entity';
import { Namespace } from '../../../src/namespaces/entities/namespace.entity';
import { itRequiresAdmin } from '../../helpers/auth-examples';
import { addMember, createAdmin, createGroup, createPat, createProject, createUser } from '../../helpers/factories';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { count, dayOffset, personalNamespace } from './billing-fixtures';

/** Self-managed mode (GITLAB_SAAS=false): namespaces, owners, users, credit cards, and the GitLab.com-only refusals. */
describe('Billing: internal namespaces, owners, users', () => {
  let t: TestApp;
  let adm: Record<string, string>;
  let userToken: string;
  let seq = 0;
  const base = '/api/v4/internal/gitlab_subscriptions';
  const group = (opts: Parameters<typeof createGroup>[2] = {}) => createGroup(t, `ng${++seq}`, opts);
  const user = (opts: Parameters<typeof createUser>[2] = {}) => createUser(t, `nu${++seq}`, opts);

  beforeAll(async () => {
    t = await createTestApp();
    adm = (await createAdmin(t)).headers;
    userToken = await createPat(t, await createUser(t, 'someone'));
  });
  afterAll(() => t.close());

  itRequiresAdmin(
    () => t,
    'get',
    `${base}/namespaces/1`,
    () => userToken,
  );
  itRequiresAdmin(
    () => t,
    'put',
    `${base}/users/1/credit_card_validation`,
    () => userToken,
  );

  describe('owners', () => {
    let g: Namespace;
    let owner: Awaited<ReturnType<typeof user>>;
    beforeAll(async () => {
      g = await group();
      owner = await user({ name: 'Olga Owner' });
      await addMember(t, g, owner, ACCESS_LEVEL.OWNER);
      await addMember(t, g, await user({ state: 'blocked' }), ACCESS_LEVEL.OWNER);
      await addMember(t, g, await user(), ACCESS_LEVEL.MAINTAINER);
      await addMember(t, g, await user(), ACCESS_LEVEL.OWNER, { requested: true });
      const s = await createGroup(t, `sub${++seq}`, { parent: g });
      await addMember(t, s, await user(), ACCESS_LEVEL.OWNER);
    });

    it('#15 direct active owners only, with pagination headers', async () => {
      const res = await t.http().get(`${base}/namespaces/${g.id}/owners`).set(adm);
      expect(res.status).toBe(200);
      expect(res.body).toEqual([
        { user: { id: Number(owner.id), username: owner.username, name: 'Olga Owner' }, access_level: 50, notification_email: owner.email },
      ]);
      expect(Object.keys(res.body[0])).toEqual(['user', 'access_level', 'notification_email']);
      expect(res.headers['x-total']).toBe('1');
      expect(res.headers['x-per-page']).toBe('20');
      expect(res.headers['x-page']).toBe('1');
      expect(res.headers['x-total-pages']).toBe('1');
      expect(res.headers['x-next-page']).toBe('');
      expect(res.headers['x-prev-page']).toBe('');
      expect(res.headers.link).toBe(
        `<http://gitlab.test${base}/namespaces/${g.id}/owners?page=1&per_page=20>; rel="first", ` +
          `<http://gitlab.test${base}/namespaces/${g.id}/owners?page=1&per_page=20>; rel="last"`,
      );
    });

    it('#16 page 2 of 3 owners; personal namespace → 404 Group Namespace Not Found', async () => {
      const g3 = await group();
      const users = [await user({ email: `first${seq}@example.com` }), await user(), await user()];
      for (const u of users) await addMember(t, g3, u, ACCESS_LEVEL.OWNER);
      await t.dataSource.query('UPDATE users SET notification_email = $1 WHERE id = $2', ['notify@example.com', users[2].id]);
      const res = await t
        .http()
        .get(`${base}/namespaces/${encodeURIComponent(g3.full_path)}/owners?per_page=2&page=2`)
        .set(adm);
      expect(res.status).toBe(200);
      expect(res.body).toHaveLength(1);
      expect(res.body[0].user.id).toBe(Number(users[2].id));
      expect(res.body[0].notification_email).toBe('notify@example.com');
      expect(res.headers['x-prev-page']).toBe('1');
      expect(res.headers['x-next-page']).toBe('');
      expect(res.headers['x-total-pages']).toBe('2');
      const personal = await t
        .http()
        .get(`${base}/namespaces/${(await personalNamespace(t, owner)).id}/owners`)
        .set(adm);
      expect(personal.status).toBe(404);
      expect(personal.body).toEqual({ message: '404 Group Namespace Not Found' });
      const bad = await t.http().get(`${base}/namespaces/${g3.id}/owners?page=x`).set(adm);
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({ error: 'page is invalid' });
    });
  });

  describe('namespace read and update', () => {
    it('#17 (self-managed) group keys in order, plan "default"; personal namespace without group keys; 0 → 404', async () => {
      const g = await group();
      const s = await createGroup(t, `nsub${++seq}`, { parent: g });
      await createProject(t, g, `p${++seq}`);
      await createProject(t, s, `p${++seq}`);
      const dev = await user();
      await addMember(t, g, dev, ACCESS_LEVEL.DEVELOPER);
      await addMember(t, s, await user(), ACCESS_LEVEL.GUEST);
      const res = await t.http().get(`${base}/namespaces/${g.id}`).set(adm);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body)).toEqual([
        'id',
        'name',
        'path',
        'kind',
        'full_path',
        'parent_id',
        'avatar_url',
        'web_url',
        'shared_runners_minutes_limit',
        'extra_shared_runners_minutes_limit',
        'additional_purchased_storage_size',
        'additional_purchased_storage_ends_on',
        'billable_members_count',
        'plan',
        'trial_ends_on',
        'trial',
        'members_count_with_descendants',
        'root_repository_size',
        'projects_count',
      ]);
      expect(res.body).toMatchObject({
        id: Number(g.id),
        kind: 'group',
        parent_id: null,
        avatar_url: null,
        web_url: `http://gitlab.test/groups/${g.full_path}`,
        shared_runners_minutes_limit: null,
        additional_purchased_storage_size: 0,
        billable_members_count: 2,
        plan: 'default',
        trial: false,
        trial_ends_on: null,
        members_count_with_descendants: 2,
        root_repository_size: null,
        projects_count: 2,
      });
      const sub = await t
        .http()
        .get(`${base}/namespaces/${encodeURIComponent(s.full_path)}`)
        .set(adm);
      expect(sub.body).toMatchObject({ parent_id: Number(g.id), projects_count: 1, billable_members_count: 1 });
      const u = await user();
      const p = await personalNamespace(t, u);
      const personal = await t.http().get(`${base}/namespaces/${p.id}`).set(adm);
      expect(personal.body.kind).toBe('user');
      expect(personal.body.web_url).toBe(`http://gitlab.test/${u.username}`);
      expect(personal.body.billable_members_count).toBe(1);
      expect(personal.body).not.toHaveProperty('projects_count');
      expect(personal.body).not.toHaveProperty('members_count_with_descendants');
      expect(personal.body).not.toHaveProperty('root_repository_size');
      for (const id of ['0', '-1', '999999']) {
        const missing = await t.http().get(`${base}/namespaces/${id}`).set(adm);
        expect(missing.status).toBe(404);
        expect(missing.body).toEqual({ message: '404 Namespace Not Found' });
      }
    });

    it('#18 PUT echoes the limits; a non-integer → 400; negatives → model error', async () => {
      const g = await group();
      const today = dayOffset(0);
      const res = await t.http().put(`${base}/namespaces/${g.id}`).set(adm).send({
        shared_runners_minutes_limit: 9001,
        additional_purchased_storage_size: 10000,
        additional_purchased_storage_ends_on: today,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        shared_runners_minutes_limit: 9001,
        additional_purchased_storage_size: 10000,
        additional_purchased_storage_ends_on: today,
      });
      const bad = await t.http().put(`${base}/namespaces/${g.id}`).set(adm).send({ shared_runners_minutes_limit: 'unknown' });
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({ error: 'shared_runners_minutes_limit is invalid' });
      const neg = await t.http().put(`${base}/namespaces/${g.id}`).set(adm).send({ shared_runners_minutes_limit: -1 });
      expect(neg.status).toBe(400);
      expect(neg.body).toEqual({ message: { shared_runners_minutes_limit: ['must be greater than or equal to 0'] } });
      expect((await t.http().get(`${base}/namespaces/${g.id}`).set(adm)).body.shared_runners_minutes_limit).toBe(9001);
    });

    it('extra minutes reset the notification columns', async () => {
      const g = await group();
      await t.http().put(`${base}/namespaces/${g.id}`).set(adm).send({ shared_runners_minutes_limit: 1 });
      await t.dataSource.query(
        'UPDATE namespace_limits SET last_ci_minutes_notification_at = now(), last_ci_minutes_usage_notification_level = 30 WHERE namespace_id = $1',
        [g.id],
      );
      const res = await t.http().put(`${base}/namespaces/${g.id}`).set(adm).send({ extra_shared_runners_minutes_limit: 500 });
      expect(res.body.extra_shared_runners_minutes_limit).toBe(500);
      const [row] = await t.dataSource.query('SELECT * FROM namespace_limits WHERE namespace_id = $1', [g.id]);
      expect(row).toMatchObject({
        shared_runners_minutes_limit: 1,
        last_ci_minutes_notification_at: null,
        last_ci_minutes_usage_notification_level: null,
      });
    });

    it('#19 nested subscription attributes create, then null seats/start_date → prefixed model errors; nothing written', async () => {
      const g = await group();
      const res = await t
        .http()
        .put(`${base}/namespaces/${g.id}`)
        .set(adm)
        .send({
          gitlab_subscription_attributes: {
            start_date: '2019-06-01',
            end_date: '2020-06-01',
            plan_code: 'ultimate',
            seats: 20,
            max_seats_used: 10,
            trial: true,
            trial_ends_on: '2019-05-01',
            trial_extension_type: 2,
          },
        });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        seats_in_use: 0,
        max_seats_used: 10,
        end_date: '2020-06-01',
        plan: 'ultimate',
        trial: true,
        trial_ends_on: '2019-05-01',
      });
      expect(Object.keys(res.body).slice(12, 19)).toEqual([
        'billable_members_count',
        'seats_in_use',
        'max_seats_used',
        'max_seats_used_changed_at',
        'end_date',
        'plan',
        'trial_ends_on',
      ]);
      const [row] = await t.dataSource.query(
        'SELECT trial_starts_on, trial_extension_type, seats FROM gitlab_subscriptions WHERE namespace_id = $1',
        [g.id],
      );
      expect(row).toEqual({ trial_starts_on: null, trial_extension_type: 2, seats: 20 });
      const bad = await t
        .http()
        .put(`${base}/namespaces/${g.id}`)
        .set(adm)
        .send({
          shared_runners_minutes_limit: 77,
          gitlab_subscription_attributes: { start_date: null, seats: null },
        });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toBe(
        JSON.stringify({
          message: { 'gitlab_subscription.seats': ["can't be blank"], 'gitlab_subscription.start_date': ["can't be blank"] },
        }),
      );
      expect(await count(t, 'SELECT 1 FROM namespace_limits WHERE namespace_id = $1', [g.id])).toBe(0);
    });

    it('nested create defaults start_date to today and seats to 0; nested type errors are named with brackets', async () => {
      const g = await group();
      const res = await t
        .http()
        .put(`${base}/namespaces/${g.id}`)
        .set(adm)
        .send({ gitlab_subscription_attributes: { plan_code: 'premium' } });
      expect(res.status).toBe(200);
      const [row] = await t.dataSource.query('SELECT start_date, seats FROM gitlab_subscriptions WHERE namespace_id = $1', [g.id]);
      expect(row).toEqual({ start_date: dayOffset(0), seats: 0 });
      const bad = await t
        .http()
        .put(`${base}/namespaces/${g.id}`)
        .set(adm)
        .send({ gitlab_subscription_attributes: { seats: 'many' } });
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({ error: 'gitlab_subscription_attributes[seats] is invalid' });
      const notHash = await t.http().put(`${base}/namespaces/${g.id}`).set(adm).send({ gitlab_subscription_attributes: 'x' });
      expect(notHash.body).toEqual({ error: 'gitlab_subscription_attributes is invalid' });
      const form = await t.http().put(`${base}/namespaces/${g.id}`).set(adm).type('form').send('gitlab_subscription_attributes[seats]=5');
      expect(form.status).toBe(200);
      expect(form.body.plan).toBe('premium');
    });
  });

  it('20 parallel namespace PUTs creating limits and subscription → all 200, one row each', async () => {
    const g = await group();
    const body = { shared_runners_minutes_limit: 10, gitlab_subscription_attributes: { plan_code: 'premium', seats: 3 } };
    const results = await Promise.all(Array.from({ length: 20 }, () => t.http().put(`${base}/namespaces/${g.id}`).set(adm).send(body)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(await count(t, 'SELECT 1 FROM namespace_limits WHERE namespace_id = $1', [g.id])).toBe(1);
    expect(await count(t, 'SELECT 1 FROM gitlab_subscriptions WHERE namespace_id = $1', [g.id])).toBe(1);
  });

  describe('users', () => {
    it('#20 a user; -1 → 404; abc → 400', async () => {
      const u = await user({ name: 'Ursula User' });
      const res = await t.http().get(`${base}/users/${u.id}`).set(adm);
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).toBe(
        JSON.stringify({ id: Number(u.id), username: u.username, name: 'Ursula User', web_url: `http://gitlab.test/${u.username}` }),
      );
      const missing = await t.http().get(`${base}/users/-1`).set(adm);
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ message: '404 User Not Found' });
      const bad = await t.http().get(`${base}/users/abc`).set(adm);
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({ error: 'id is invalid' });
    });

    const card = (extra: Record<string, unknown> = {}) => ({
      credit_card_validated_at: '2020-01-01 00:00:00 UTC',
      credit_card_expiration_month: '12',
      credit_card_expiration_year: '2030',
      credit_card_holder_name: 'Jane Doe',
      credit_card_mask_number: '1111',
      credit_card_type: 'Visa',
      ...extra,
    });
    const b64 = (v: string) => createHash('sha256').update(v).digest('base64');

    it('#21 stores hashes only; repeating updates the same row; username lookup is case-insensitive', async () => {
      const u = await user();
      const res = await t
        .http()
        .put(`${base}/users/${u.username.toUpperCase()}/credit_card_validation`)
        .set(adm)
        .send(card({ credit_card_mask_number: '0042' }));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: {} });
      const rows = await t.dataSource.query('SELECT * FROM user_credit_card_validations WHERE user_id = $1', [u.id]);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        network_hash: b64('visa'),
        holder_name_hash: b64('jane doe'),
        last_digits_hash: b64('42'),
        expiration_date_hash: b64('2030-12-31'),
      });
      expect(new Date(rows[0].credit_card_validated_at).toISOString()).toBe('2020-01-01T00:00:00.000Z');
      expect(JSON.stringify(rows[0])).not.toContain('Jane');
      const again = await t
        .http()
        .put(`${base}/users/${u.id}/credit_card_validation`)
        .set(adm)
        .send(card({ credit_card_expiration_month: 2, credit_card_expiration_year: 2028 }));
      expect(again.status).toBe(200);
      const after = await t.dataSource.query('SELECT expiration_date_hash FROM user_credit_card_validations WHERE user_id = $1', [u.id]);
      expect(after).toEqual([{ expiration_date_hash: b64('2028-02-29') }]);
      const missing = await t.http().put(`${base}/users/999999/credit_card_validation`).set(adm).send(card());
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ message: '404 User Not Found' });
    });

    it('#22 a too long stripe id → 400 Bad request; a missing field → is missing; nothing written', async () => {
      const u = await user();
      const long = await t
        .http()
        .put(`${base}/users/${u.id}/credit_card_validation`)
        .set(adm)
        .send(card({ stripe_payment_method_xid: 'x'.repeat(260) }));
      expect(long.status).toBe(400);
      expect(long.body).toEqual({ message: '400 Bad request' });
      const { credit_card_holder_name: _omit, ...rest } = card();
      const missing = await t.http().put(`${base}/users/${u.id}/credit_card_validation`).set(adm).send(rest);
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({ error: 'credit_card_holder_name is missing' });
      for (const bad of [
        { credit_card_expiration_month: 13 },
        { credit_card_mask_number: '12a4' },
        { credit_card_mask_number: '12345' },
        { credit_card_holder_name: 'x'.repeat(51) },
        { credit_card_type: null },
      ]) {
        const res = await t.http().put(`${base}/users/${u.id}/credit_card_validation`).set(adm).send(card(bad));
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ message: '400 Bad request' });
      }
      const badDate = await t
        .http()
        .put(`${base}/users/${u.id}/credit_card_validation`)
        .set(adm)
        .send(card({ credit_card_validated_at: 'yesterday' }));
      expect(badDate.body).toEqual({ error: 'credit_card_validated_at is invalid' });
      expect(await count(t, 'SELECT 1 FROM user_credit_card_validations WHERE user_id = $1', [u.id])).toBe(0);
    });

    it('20 parallel first validations of one user → all 200, one row', async () => {
      const u = await user();
      const results = await Promise.all(
        Array.from({ length: 20 }, () => t.http().put(`${base}/users/${u.id}/credit_card_validation`).set(adm).send(card())),
      );
      expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
      expect(await count(t, 'SELECT 1 FROM user_credit_card_validations WHERE user_id = $1', [u.id])).toBe(1);
    });

    it('zuora ids belong to one user; a fingerprint is limited to 5 validations a day', async () => {
      const a = await user();
      const b = await user();
      expect(
        (
          await t
            .http()
            .put(`${base}/users/${a.id}/credit_card_validation`)
            .set(adm)
            .send(card({ zuora_payment_method_xid: 'z-1' }))
        ).status,
      ).toBe(200);
      const taken = await t
        .http()
        .put(`${base}/users/${b.id}/credit_card_validation`)
        .set(adm)
        .send(card({ zuora_payment_method_xid: 'z-1' }));
      expect(taken.status).toBe(400);
      expect(taken.body).toEqual({ message: '400 Bad request' });
      const now = new Date().toISOString();
      const fp = `fp-${seq}`;
      for (let i = 0; i < 5; i++) {
        const u = await user();
        expect(
          (
            await t
              .http()
              .put(`${base}/users/${u.id}/credit_card_validation`)
              .set(adm)
              .send(card({ credit_card_validated_at: now, stripe_card_fingerprint: fp }))
          ).status,
        ).toBe(200);
      }
      const sixth = await t
        .http()
        .put(`${base}/users/${b.id}/credit_card_validation`)
        .set(adm)
        .send(card({ credit_card_validated_at: now, stripe_card_fingerprint: fp }));
      expect(sixth.status).toBe(400);
      expect(sixth.body).toEqual({ message: '400 Bad request' });
    });
  });

  describe('GitLab.com-only routes on a self-managed instance', () => {
    it('#26 storage exclusions: admin first, then 403 this API is for GitLab.com only', async () => {
      const res = await t.http().get('/api/v4/namespaces/storage/limit_exclusions').set(adm);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ message: '403 Forbidden - this API is for GitLab.com only' });
      expect((await t.http().get('/api/v4/namespaces/storage/limit_exclusions')).status).toBe(401);
      const g = await group();
      const post = await t.http().post(`/api/v4/namespaces/${g.id}/storage/limit_exclusion`).set(adm).send({ reason: 'x' });
      expect(post.status).toBe(403);
      expect(await count(t, 'SELECT 1 FROM namespace_storage_limit_exclusions')).toBe(0);
    });

    it('#33 upcoming reconciliations: 403 before authentication', async () => {
      const anonymous = await t.http().put('/api/v4/internal/upcoming_reconciliations').send({});
      expect(anonymous.status).toBe(403);
      expect(anonymous.body).toEqual({ message: '403 Forbidden - This API is gitlab.com only!' });
      for (const res of [
        await t.http().put('/api/v4/internal/upcoming_reconciliations').set(adm).send({}),
        await t.http().delete('/api/v4/internal/upcoming_reconciliations?namespace_id=1'),
        await t.http().put('/api/v4/internal/gitlab_subscriptions/namespaces/1/upcoming_reconciliations'),
        await t.http().delete('/api/v4/internal/gitlab_subscriptions/namespaces/1/upcoming_reconciliations').set(adm),
      ]) {
        expect(res.status).toBe(403);
        expect(res.body).toEqual({ message: '403 Forbidden - This API is gitlab.com only!' });
      }
    });

    it('add-on purchases work on subgroups and personal namespaces when not on GitLab.com', async () => {
      const g = await group();
      const s = await createGroup(t, `as${++seq}`, { parent: g });
      const body = { quantity: 1, started_on: dayOffset(0), expires_on: dayOffset(0, 1), purchase_xid: 'A-1' };
      const sub = await t.http().post(`/api/v4/namespaces/${s.id}/subscription_add_on_purchase/duo_enterprise`).set(adm).send(body);
      expect(sub.status).toBe(201);
      const p = await personalNamespace(t, await user());
      expect(
        (await t.http().post(`/api/v4/namespaces/${p.id}/subscription_add_on_purchase/duo_enterprise`).set(adm).send(body)).status,
      ).toBe(201);
    });

    it('compute packs without expires_at are accepted when not on GitLab.com', async () => {
      const g = await group();
      const res = await t
        .http()
        .post(`/api/v4/namespaces/${g.id}/minutes`)
        .set(adm)
        .send({ packs: [{ number_of_minutes: 100, expires_at: null, purchase_xid: `nx${seq}` }] });
      expect(res.status).toBe(201);
      expect(res.body).toEqual([{ namespace_id: Number(g.id), expires_at: null, number_of_minutes: 100, purchase_xid: `nx${seq}` }]);
    });
  });
});
