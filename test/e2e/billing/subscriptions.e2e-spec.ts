import { ACCESS_LEVEL } from '../../../src/namespaces/entities/member.entity';
import { Namespace } from '../../../src/namespaces/entities/namespace.entity';
import { addMember, createAdmin, createGroup, createPat, createProject, createUser } from '../../helpers/factories';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { count, dayOffset, personalNamespace } from './billing-fixtures';

describe('Billing: subscriptions', () => {
  let t: TestApp;
  let adm: Record<string, string>;
  let userToken: string;
  let seq = 0;
  const url = (ns: Namespace | string | number) =>
    `/api/v4/namespaces/${typeof ns === 'object' ? ns.id : encodeURIComponent(String(ns))}/gitlab_subscription`;
  const internalUrl = (ns: Namespace) => `/api/v4/internal/gitlab_subscriptions/namespaces/${ns.id}/gitlab_subscription`;
  const group = async (opts: Parameters<typeof createGroup>[2] = {}) => createGroup(t, `g${++seq}`, opts);
  const post = (ns: Namespace | string | number, body: object) => t.http().post(url(ns)).set(adm).send(body);
  const put = (ns: Namespace | string | number, body: object) => t.http().put(url(ns)).set(adm).send(body);

  beforeAll(async () => {
    t = await createTestApp();
    adm = (await createAdmin(t)).headers;
    userToken = await createPat(t, await createUser(t, 'plainuser'));
  });
  afterAll(() => t.close());

  it('#1 401 without token, 401 with only the doc’s TOKEN header, 403 for a non-admin', async () => {
    const g = await group();
    const admin = adm['PRIVATE-TOKEN'];
    const body = { start_date: '2020-01-01' };
    for (const res of [await t.http().post(url(g)).send(body), await t.http().post(url(g)).set('TOKEN', admin).send(body)]) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ message: '401 Unauthorized' });
    }
    const res = await t.http().post(url(g)).set('PRIVATE-TOKEN', userToken).send(body);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ message: '403 Forbidden' });
    expect(await count(t, 'SELECT 1 FROM gitlab_subscriptions WHERE namespace_id = $1', [g.id])).toBe(0);
  });

  it('accepts the admin token as Bearer and as private_token', async () => {
    const g = await group();
    const bearer = await t.http().post(url(g)).set('Authorization', `Bearer ${adm['PRIVATE-TOKEN']}`).send({ start_date: '2020-01-01' });
    expect(bearer.status).toBe(201);
    const g2 = await group();
    const query = await t.http().post(`${url(g2)}?private_token=${adm['PRIVATE-TOKEN']}&start_date=2020-01-01`);
    expect(query.status).toBe(201);
  });

  it('#2 missing start_date → 400 start_date is missing', async () => {
    const res = await post(await group(), { end_date: '2019-01-01', seats: 10, plan_code: 'ultimate' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'start_date is missing' });
  });

  it('#3 start_date null → model error', async () => {
    const res = await post(await group(), { start_date: null, seats: 10 });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: { start_date: ["can't be blank"] } });
  });

  it('seats null and start_date null → both model errors, seats first', async () => {
    const res = await post(await group(), { start_date: null, seats: null });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toBe(JSON.stringify({ message: { seats: ["can't be blank"], start_date: ["can't be blank"] } }));
  });

  it('parameter errors are joined in the documented order', async () => {
    const res = await post(await group(), { end_date: 'never', seats: 'ten', trial: 'maybe' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'start_date is missing, end_date is invalid, seats is invalid, trial is invalid' });
    const ext = await post(await group(), { start_date: '2020-01-01', trial_extension_type: 3 });
    expect(ext.body).toEqual({ error: 'trial_extension_type does not have a valid value' });
  });

  it('#4 creates an ultimate subscription: stored seats_in_use 0, guests excluded', async () => {
    const g = await group();
    await addMember(t, g, await createUser(t, `dev${++seq}`), ACCESS_LEVEL.DEVELOPER);
    const res = await post(g, { start_date: '2018-01-01', end_date: '2019-01-01', seats: 10, plan_code: 'ultimate', auto_renew: true });
    expect(res.status).toBe(201);
    expect(JSON.stringify(res.body.plan)).toBe(
      JSON.stringify({ code: 'ultimate', name: 'Ultimate', trial: false, auto_renew: true, upgradable: false, exclude_guests: true }),
    );
    expect(JSON.stringify(res.body.usage)).toBe(
      JSON.stringify({ seats_in_subscription: 10, seats_in_use: 0, max_seats_used: 0, seats_owed: 0 }),
    );
    expect(res.body.billing).toEqual({ subscription_start_date: '2018-01-01', subscription_end_date: '2019-01-01', trial_ends_on: null });
    expect(Object.keys(res.body)).toEqual(['plan', 'usage', 'billing']);
  });

  it('#5 query-string parameters, "13 Jun 2021", trial defaults trial_starts_on, live seats for a trial', async () => {
    const u = await createUser(t, `puser${++seq}`);
    const p = await personalNamespace(t, u);
    const res = await t
      .http()
      .post(`${url(p)}?start_date=13 Jun 2021&plan_code=premium&seats=10&trial=true`)
      .set(adm);
    expect(res.status).toBe(201);
    expect(res.body.billing.subscription_start_date).toBe('2021-06-13');
    expect(res.body.plan.trial).toBe(true);
    expect(res.body.plan.code).toBe('premium');
    expect(res.body.usage.seats_in_use).toBe(1);
    const [row] = await t.dataSource.query('SELECT trial_starts_on, trial FROM gitlab_subscriptions WHERE namespace_id = $1', [p.id]);
    expect(row.trial_starts_on).toBe('2021-06-13');
    expect(row.trial).toBe(true);
  });

  it('#6 unknown namespace → 404; a full path with dots works', async () => {
    const missing = await post(999999, { start_date: '2020-01-01' });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ message: '404 Namespace Not Found' });
    await createGroup(t, 'group.with.dots');
    const dotted = await t
      .http()
      .post('/api/v4/namespaces/group.with.dots/gitlab_subscription')
      .set(adm)
      .send({ start_date: '2020-01-01' });
    expect(dotted.status).toBe(201);
    const parent = await group();
    const sub = await createGroup(t, 'Sub.Group', { parent });
    const nested = await post(`${parent.path}/sub.group`, { start_date: '2020-01-01' });
    expect(nested.status).toBe(201);
    expect(await count(t, 'SELECT 1 FROM gitlab_subscriptions WHERE namespace_id = $1', [sub.id])).toBe(1);
  });

  it('404 comes before parameter validation; 401 before 404', async () => {
    const res = await post(999999, { seats: 'x' });
    expect(res.status).toBe(404);
    const unauth = await t.http().post(url(999999)).send({ seats: 'x' });
    expect(unauth.status).toBe(401);
  });

  it('#7 a second POST → namespace_id has already been taken; the row is unchanged', async () => {
    const g = await group();
    expect((await post(g, { start_date: '2020-01-01', seats: 5 })).status).toBe(201);
    const res = await post(g, { start_date: '2021-01-01', seats: 9 });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: { namespace_id: ['has already been taken'] } });
    const [row] = await t.dataSource.query('SELECT seats, start_date FROM gitlab_subscriptions WHERE namespace_id = $1', [g.id]);
    expect(row).toEqual({ seats: 5, start_date: '2020-01-01' });
  });

  it('20 parallel identical POSTs → exactly one row, the others 400 has already been taken', async () => {
    const g = await group();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => post(g, { start_date: '2020-01-01', seats: 3, plan_code: 'premium' })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(19);
    for (const r of results.filter((x) => x.status === 400))
      expect(r.body).toEqual({ message: { namespace_id: ['has already been taken'] } });
    expect(await count(t, 'SELECT 1 FROM gitlab_subscriptions WHERE namespace_id = $1', [g.id])).toBe(1);
  });

  it('#8 PUT without a subscription → 404 GitlabSubscription Not Found', async () => {
    const res = await put(await group(), { seats: 150 });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ message: '404 GitlabSubscription Not Found' });
  });

  it('#9 PUT plan_code premium keeps seats and max, seats_owed 22, updated_at changes, no history without change', async () => {
    const g = await group();
    expect((await post(g, { start_date: '2020-01-01', seats: 20, max_seats_used: 42, plan_code: 'premium' })).status).toBe(201);
    const [before] = await t.dataSource.query('SELECT updated_at FROM gitlab_subscriptions WHERE namespace_id = $1', [g.id]);
    const res = await put(g, { plan_code: 'premium' });
    expect(res.status).toBe(200);
    expect(res.body.usage).toEqual({ seats_in_subscription: 20, seats_in_use: 0, max_seats_used: 42, seats_owed: 22 });
    expect(res.body.plan.upgradable).toBe(true);
    expect(res.body.plan.name).toBe('Premium');
    const [after] = await t.dataSource.query('SELECT updated_at FROM gitlab_subscriptions WHERE namespace_id = $1', [g.id]);
    expect(new Date(after.updated_at).getTime()).toBeGreaterThan(new Date(before.updated_at).getTime());
    expect(await count(t, 'SELECT 1 FROM gitlab_subscription_histories WHERE namespace_id = $1', [g.id])).toBe(0);
  });

  it('#10 a new term resets the seat statistics to the billable users; a history row keeps the previous values', async () => {
    const g = await group();
    const sub = await createGroup(t, `sub${++seq}`, { parent: g });
    const project = await createProject(t, sub, `proj${seq}`);
    await addMember(t, g, await createUser(t, `m${++seq}`), ACCESS_LEVEL.DEVELOPER);
    await addMember(t, sub, await createUser(t, `m${++seq}`), ACCESS_LEVEL.GUEST);
    await addMember(t, project, await createUser(t, `m${++seq}`), ACCESS_LEVEL.REPORTER);
    // not billable: blocked, access request, expired
    await addMember(t, g, await createUser(t, `m${++seq}`, { state: 'blocked' }), ACCESS_LEVEL.DEVELOPER);
    await addMember(t, g, await createUser(t, `m${++seq}`), ACCESS_LEVEL.DEVELOPER, { requested: true });
    await addMember(t, g, await createUser(t, `m${++seq}`), ACCESS_LEVEL.DEVELOPER, { expiresAt: dayOffset(-1) });
    const E = '2021-03-01';
    expect((await post(g, { start_date: '2020-03-01', end_date: E, seats: 20, max_seats_used: 42, plan_code: 'premium' })).status).toBe(
      201,
    );
    const res = await put(g, { start_date: '2022-03-01', end_date: '2023-03-01' });
    expect(res.status).toBe(200);
    expect(res.body.usage).toEqual({ seats_in_subscription: 20, seats_in_use: 3, max_seats_used: 3, seats_owed: 0 });
    const history = await t.dataSource.query('SELECT change_type, previous FROM gitlab_subscription_histories WHERE namespace_id = $1', [
      g.id,
    ]);
    expect(history).toHaveLength(1);
    expect(history[0].change_type).toBe(1);
    expect(history[0].previous).toMatchObject({ start_date: '2020-03-01', end_date: E, max_seats_used: 42, seats: 20 });
  });

  it('a membership expiring today is not a billable seat; one expiring tomorrow is', async () => {
    const g = await group();
    await addMember(t, g, await createUser(t, `m${++seq}`), ACCESS_LEVEL.DEVELOPER, { expiresAt: dayOffset(0) });
    await addMember(t, g, await createUser(t, `m${++seq}`), ACCESS_LEVEL.DEVELOPER, { expiresAt: dayOffset(1) });
    await post(g, { start_date: '2020-03-01', end_date: '2021-03-01', seats: 5, max_seats_used: 0, plan_code: 'premium' });
    const res = await put(g, { start_date: '2022-03-01', end_date: '2023-03-01' });
    expect(res.status).toBe(200);
    expect(res.body.usage).toEqual({ seats_in_subscription: 5, seats_in_use: 1, max_seats_used: 1, seats_owed: 0 });
  });

  it('not a new term when the new start is before the previous end: no reset, changed_at set when max changes', async () => {
    const g = await group();
    await post(g, { start_date: '2020-03-01', end_date: '2021-03-01', seats: 5, max_seats_used: 8, plan_code: 'premium' });
    const res = await put(g, { start_date: '2020-06-01', end_date: '2021-06-01', max_seats_used: 9 });
    expect(res.body.usage).toEqual({ seats_in_subscription: 5, seats_in_use: 0, max_seats_used: 9, seats_owed: 4 });
    const [row] = await t.dataSource.query('SELECT max_seats_used_changed_at FROM gitlab_subscriptions WHERE namespace_id = $1', [g.id]);
    expect(row.max_seats_used_changed_at).not.toBeNull();
  });

  it('trial turning false on a paid plan resets the seats', async () => {
    const g = await group();
    await addMember(t, g, await createUser(t, `tr${++seq}`), ACCESS_LEVEL.DEVELOPER);
    await post(g, { start_date: '2020-03-01', seats: 5, max_seats_used: 8, plan_code: 'premium', trial: true });
    const res = await put(g, { trial: false });
    expect(res.body.usage).toEqual({ seats_in_subscription: 5, seats_in_use: 1, max_seats_used: 1, seats_owed: 0 });
  });

  it('leaving ultimate_trial_paid_customer for premium without a new term keeps the seats', async () => {
    const g = await group();
    await addMember(t, g, await createUser(t, `ut${++seq}`), ACCESS_LEVEL.DEVELOPER);
    await post(g, { start_date: '2020-03-01', seats: 5, max_seats_used: 8, plan_code: 'ultimate_trial_paid_customer' });
    const premium = await put(g, { plan_code: 'premium' });
    expect(premium.body.usage.max_seats_used).toBe(8);
    const g2 = await group();
    await addMember(t, g2, await createUser(t, `ut${++seq}`), ACCESS_LEVEL.DEVELOPER);
    await post(g2, { start_date: '2020-03-01', seats: 5, max_seats_used: 8, plan_code: 'ultimate_trial_paid_customer' });
    const ultimate = await put(g2, { plan_code: 'ultimate' });
    expect(ultimate.body.usage).toMatchObject({ seats_in_use: 1, max_seats_used: 1 });
  });

  it('PUT trial true defaults trial_starts_on to the stored start date (also for an explicit null)', async () => {
    const g = await group();
    await post(g, { start_date: '2020-05-01', seats: 5, plan_code: 'premium' });
    expect((await put(g, { trial: 'true', trial_starts_on: null })).status).toBe(200);
    const [row] = await t.dataSource.query('SELECT trial, trial_starts_on FROM gitlab_subscriptions WHERE namespace_id = $1', [g.id]);
    expect(row).toEqual({ trial: true, trial_starts_on: '2020-05-01' });
    await put(g, { trial: true, start_date: '2020-06-01', trial_starts_on: '2020-06-15' });
    const [given] = await t.dataSource.query('SELECT trial_starts_on FROM gitlab_subscriptions WHERE namespace_id = $1', [g.id]);
    expect(given.trial_starts_on).toBe('2020-06-15');
  });

  it('#11 seats null → model error; "yesterday" → end_date is invalid; nothing changes', async () => {
    const g = await group();
    await post(g, { start_date: '2020-01-01', seats: 5 });
    const a = await put(g, { seats: null });
    expect(a.status).toBe(400);
    expect(a.body).toEqual({ message: { seats: ["can't be blank"] } });
    const b = await put(g, { end_date: 'yesterday' });
    expect(b.status).toBe(400);
    expect(b.body).toEqual({ error: 'end_date is invalid' });
    const [row] = await t.dataSource.query('SELECT seats, end_date FROM gitlab_subscriptions WHERE namespace_id = $1', [g.id]);
    expect(row).toEqual({ seats: 5, end_date: null });
  });

  it('explicit end_date null clears the date; plan_code null means free; an unknown plan leaves no plan', async () => {
    const g = await group();
    await post(g, { start_date: '2020-01-01', end_date: '2021-01-01', seats: 5, plan_code: 'premium' });
    const cleared = await put(g, { end_date: null, plan_code: null });
    expect(cleared.body.billing.subscription_end_date).toBeNull();
    expect(cleared.body.plan).toMatchObject({ code: 'free', name: 'Free' });
    const unknown = await put(g, { plan_code: 'platinum' });
    expect(unknown.status).toBe(200);
    expect(unknown.body.plan).toMatchObject({ code: null, name: null, upgradable: false });
  });

  it('#12 expired premium subscription is not upgradable', async () => {
    const g = await group();
    await post(g, { start_date: dayOffset(0, -1), end_date: dayOffset(-1), seats: 5, plan_code: 'premium' });
    const res = await t.http().get(internalUrl(g)).set(adm);
    expect(res.status).toBe(200);
    expect(res.body.plan.upgradable).toBe(false);
    const current = await group();
    await post(current, { start_date: dayOffset(-10), end_date: dayOffset(0), seats: 5, plan_code: 'premium' });
    expect((await t.http().get(internalUrl(current)).set(adm)).body.plan.upgradable).toBe(true);
  });

  it('#13 user GET: owner 200, maintainer 403, non-member 404, admin 200', async () => {
    const g = await group();
    const owner = await createUser(t, `own${++seq}`);
    const maint = await createUser(t, `mnt${++seq}`);
    const stranger = await createUser(t, `x${++seq}`);
    await addMember(t, g, owner, ACCESS_LEVEL.OWNER);
    await addMember(t, g, maint, ACCESS_LEVEL.MAINTAINER);
    await post(g, { start_date: '2020-01-01', seats: 5, plan_code: 'premium' });
    const as = async (token: string) => t.http().get(url(g)).set('PRIVATE-TOKEN', token);
    const o = await as(await createPat(t, owner, ['read_api']));
    expect(o.status).toBe(200);
    expect(o.body.plan).toMatchObject({ name: 'Premium', exclude_guests: false });
    const m = await as(await createPat(t, maint));
    expect(m.status).toBe(403);
    expect(m.body).toEqual({ message: '403 Forbidden' });
    const x = await as(await createPat(t, stranger));
    expect(x.status).toBe(404);
    expect(x.body).toEqual({ message: '404 Namespace Not Found' });
    expect((await t.http().get(url(g)).set(adm)).status).toBe(200);
    const noScope = await as(await createPat(t, owner, ['read_user']));
    expect(noScope.status).toBe(403);
    expect((await t.http().get(url(g))).status).toBe(401);
  });

  it('user GET: owner of a parent group is allowed on the subgroup; personal namespace only for its owner', async () => {
    const g = await group();
    const s = await createGroup(t, `s${++seq}`, { parent: g });
    const owner = await createUser(t, `po${++seq}`);
    await addMember(t, g, owner, ACCESS_LEVEL.OWNER);
    const token = await createPat(t, owner);
    const res = await t.http().get(url(s)).set('PRIVATE-TOKEN', token);
    expect(res.status).toBe(200);
    expect(res.body.plan).toEqual({ code: null, name: null, trial: null, auto_renew: null, upgradable: null, exclude_guests: null });
    const mine = await t
      .http()
      .get(url(await personalNamespace(t, owner)))
      .set('PRIVATE-TOKEN', token);
    expect(mine.status).toBe(200);
    const other = await t
      .http()
      .get(url(await personalNamespace(t, await createUser(t, `oth${++seq}`))))
      .set('PRIVATE-TOKEN', token);
    expect(other.status).toBe(404);
    const pub = await group({ visibility: 20 });
    const visible = await t.http().get(url(pub)).set('PRIVATE-TOKEN', token);
    expect(visible.status).toBe(403);
  });

  it('#14 internal GET without a subscription → three objects of nulls', async () => {
    const res = await t
      .http()
      .get(internalUrl(await group()))
      .set(adm);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      plan: { code: null, name: null, trial: null, auto_renew: null, upgradable: null, exclude_guests: null },
      usage: { seats_in_subscription: null, seats_in_use: null, max_seats_used: null, seats_owed: null },
      billing: { subscription_start_date: null, subscription_end_date: null, trial_ends_on: null },
    });
    const missing = await t.http().get('/api/v4/internal/gitlab_subscriptions/namespaces/0/gitlab_subscription').set(adm);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ message: '404 Namespace Not Found' });
  });

  it('form-encoded bodies work, the body wins over the query string', async () => {
    const g = await group();
    const res = await t
      .http()
      .post(`${url(g)}?seats=1`)
      .set(adm)
      .type('form')
      .send('start_date=2020-07-15&seats=10');
    expect(res.status).toBe(201);
    expect(res.body.usage.seats_in_subscription).toBe(10);
  });

  it('the seat refresh raises max_seats_used for paid plans only', async () => {
    const { SubscriptionsService } = await import('../../../src/billing/subscriptions.service');
    const g = await group();
    await addMember(t, g, await createUser(t, `rf${++seq}`), ACCESS_LEVEL.DEVELOPER);
    await addMember(t, g, await createUser(t, `rf${++seq}`), ACCESS_LEVEL.DEVELOPER);
    await post(g, { start_date: '2020-01-01', seats: 1, plan_code: 'premium' });
    const trial = await group();
    await addMember(t, trial, await createUser(t, `rf${++seq}`), ACCESS_LEVEL.DEVELOPER);
    await post(trial, { start_date: '2020-01-01', seats: 1, plan_code: 'premium', trial: true });
    await t.get<InstanceType<typeof SubscriptionsService>>(SubscriptionsService).refreshStaleSeats();
    const [row] = await t.dataSource.query(
      'SELECT seats_in_use, max_seats_used, seats_owed, last_seat_refresh_at, max_seats_used_changed_at FROM gitlab_subscriptions WHERE namespace_id = $1',
      [g.id],
    );
    expect(row).toMatchObject({ seats_in_use: 2, max_seats_used: 2, seats_owed: 1 });
    expect(row.last_seat_refresh_at).not.toBeNull();
    expect(row.max_seats_used_changed_at).not.toBeNull();
    const [trialRow] = await t.dataSource.query('SELECT last_seat_refresh_at FROM gitlab_subscriptions WHERE namespace_id = $1', [
      trial.id,
    ]);
    expect(trialRow.last_seat_refresh_at).toBeNull();
  });

  it('the billing queue runs the refresh-seats job for stale paid subscriptions', async () => {
    const { BillingModule, BILLING_QUEUE } = await import('../../../src/billing/billing.module');
    const { queueToken } = await import('../../../src/jobs/job-queue');
    const g = await group();
    await addMember(t, g, await createUser(t, `q${++seq}`), ACCESS_LEVEL.DEVELOPER);
    await post(g, { start_date: '2020-01-01', seats: 5, plan_code: 'premium' });
    await t.dataSource.query(`UPDATE gitlab_subscriptions SET last_seat_refresh_at = now() - interval '19 hours' WHERE namespace_id = $1`, [
      g.id,
    ]);
    const fresh = await group();
    await addMember(t, fresh, await createUser(t, `q${++seq}`), ACCESS_LEVEL.DEVELOPER);
    await post(fresh, { start_date: '2020-01-01', seats: 5, plan_code: 'premium' });
    await t.dataSource.query(`UPDATE gitlab_subscriptions SET last_seat_refresh_at = now() - interval '1 hour' WHERE namespace_id = $1`, [
      fresh.id,
    ]);
    await t.get<InstanceType<typeof BillingModule>>(BillingModule).scheduleSeatRefresh();
    await t.get<{ whenIdle: (ms?: number) => Promise<void> }>(queueToken(BILLING_QUEUE)).whenIdle(20_000);
    const [row] = await t.dataSource.query('SELECT seats_in_use, max_seats_used FROM gitlab_subscriptions WHERE namespace_id = $1', [g.id]);
    expect(row).toEqual({ seats_in_use: 1, max_seats_used: 1 });
    const [freshRow] = await t.dataSource.query('SELECT seats_in_use FROM gitlab_subscriptions WHERE namespace_id = $1', [fresh.id]);
    expect(freshRow.seats_in_use).toBe(0);
  });
});
