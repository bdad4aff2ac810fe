import fc from 'fast-check';
import { ACCESS_LEVEL } from '../../../src/namespaces/entities/member.entity';
import { addMember, createAdmin, createGroup, createUser } from '../../helpers/factories';
import { createTestApp, TestApp } from '../../helpers/test-app';

/**
 * Bad input never yields a 5xx on the billing routes (GitLab.com mode, existing namespaces and users so that
 * parameter parsing and business rules are reached, not just the 404 of the lookup).
 */
describe('Billing routes with malformed parameters never answer 5xx', () => {
  let t: TestApp;
  let adm: Record<string, string>;
  let ids: { group: number; other: number; user: number };
  const RUNS = Number(process.env.FUZZ_RUNS ?? 25);

  beforeAll(async () => {
    t = await createTestApp({ GITLAB_SAAS: 'true' });
    const admin = await createAdmin(t);
    adm = admin.headers;
    const g = await createGroup(t, 'fuzz-group');
    const h = await createGroup(t, 'fuzz-other');
    await addMember(t, g, admin.user, ACCESS_LEVEL.OWNER);
    await addMember(t, h, admin.user, ACCESS_LEVEL.OWNER);
    const u = await createUser(t, 'fuzzuser');
    ids = { group: Number(g.id), other: Number(h.id), user: Number(u.id) };
    await t
      .http()
      .post(`/api/v4/namespaces/${g.id}/gitlab_subscription`)
      .set(adm)
      .send({ start_date: '2020-01-01', seats: 5, plan_code: 'premium' });
    await t
      .http()
      .post(`/api/v4/namespaces/${g.id}/minutes`)
      .set(adm)
      .send({ packs: [{ number_of_minutes: 1, expires_at: '2030-01-01', purchase_xid: 'fuzz-pack' }] });
  });
  afterAll(() => t.close());

  const nasty = fc.constantFrom(
    '',
    ' ',
    '-1',
    '0',
    '2147483648',
    '9223372036854775808',
    '1e309',
    'NaN',
    'null',
    'true',
    '2021-02-30',
    '13 Jun 2021',
    '2021-06-13T25:00:00Z',
    'ünïcødé',
    'nul\u0000byte',
    'x'.repeat(300),
    '{"a":1}',
  );
  const scalar = fc.oneof(
    nasty,
    fc.string({ maxLength: 20 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom(2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER + 2, 1e308),
  );
  const value: fc.Arbitrary<unknown> = fc.oneof(
    { weight: 4, arbitrary: scalar },
    { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 6 }), scalar, { maxKeys: 3 }) },
  );
  const subscriptionFields = [
    'start_date',
    'end_date',
    'plan_code',
    'seats',
    'max_seats_used',
    'auto_renew',
    'trial',
    'trial_starts_on',
    'trial_ends_on',
    'trial_extension_type',
  ];

  const routes: [string, 'get' | 'post' | 'put' | 'patch' | 'delete', () => string, string[]][] = [
    ['create subscription', 'post', () => `/api/v4/namespaces/${ids.other}/gitlab_subscription`, subscriptionFields],
    ['update subscription', 'put', () => `/api/v4/namespaces/${ids.group}/gitlab_subscription`, subscriptionFields],
    [
      'update namespace',
      'put',
      () => `/api/v4/internal/gitlab_subscriptions/namespaces/${ids.group}`,
      [
        'shared_runners_minutes_limit',
        'extra_shared_runners_minutes_limit',
        'additional_purchased_storage_size',
        'additional_purchased_storage_ends_on',
        'gitlab_subscription_attributes',
      ],
    ],
    ['owners', 'get', () => `/api/v4/internal/gitlab_subscriptions/namespaces/${ids.group}/owners`, ['page', 'per_page']],
    [
      'credit card',
      'put',
      () => `/api/v4/internal/gitlab_subscriptions/users/${ids.user}/credit_card_validation`,
      [
        'credit_card_validated_at',
        'credit_card_expiration_month',
        'credit_card_expiration_year',
        'credit_card_holder_name',
        'credit_card_mask_number',
        'credit_card_type',
        'zuora_payment_method_xid',
        'stripe_card_fingerprint',
      ],
    ],
    [
      'add-on create',
      'post',
      () => `/api/v4/namespaces/${ids.group}/subscription_add_on_purchase/code_suggestions`,
      ['quantity', 'started_on', 'expires_on', 'purchase_xid', 'trial'],
    ],
    [
      'add-on update',
      'put',
      () => `/api/v4/namespaces/${ids.group}/subscription_add_on_purchase/code_suggestions`,
      ['quantity', 'started_on', 'expires_on', 'purchase_xid', 'trial'],
    ],
    ['exclusion create', 'post', () => `/api/v4/namespaces/${ids.other}/storage/limit_exclusion`, ['reason']],
    ['exclusions list', 'get', () => '/api/v4/namespaces/storage/limit_exclusions', ['page', 'per_page']],
    ['packs', 'post', () => `/api/v4/namespaces/${ids.group}/minutes`, ['packs']],
    ['reconciliations (old)', 'put', () => '/api/v4/internal/upcoming_reconciliations', ['upcoming_reconciliations']],
    ['reconciliation delete (old)', 'delete', () => '/api/v4/internal/upcoming_reconciliations', ['namespace_id']],
    [
      'reconciliation (new)',
      'put',
      () => `/api/v4/internal/gitlab_subscriptions/namespaces/${ids.group}/upcoming_reconciliations`,
      ['next_reconciliation_date', 'display_alert_from', 'upcoming_reconciliations'],
    ],
  ];

  it.each(routes)('%s', async (_name, method, path, fields) => {
    const element = fc.dictionary(
      fc.constantFrom(
        ...fields,
        'namespace_id',
        'number_of_minutes',
        'expires_at',
        'purchase_xid',
        'next_reconciliation_date',
        'display_alert_from',
      ),
      value,
      { maxKeys: 4 },
    );
    const fieldValue = fc.oneof(
      { weight: 3, arbitrary: value },
      { weight: 1, arbitrary: fc.array(element, { maxLength: 3 }) },
      { weight: 1, arbitrary: element },
    );
    const body = fc.dictionary(fc.constantFrom(...fields), fieldValue, { maxKeys: fields.length });
    await fc.assert(
      fc.asyncProperty(body, fc.boolean(), async (params, asQuery) => {
        let call = t.http()[method](path()).set(adm);
        if (method === 'get' || method === 'delete' || asQuery) {
          const query = Object.fromEntries(
            Object.entries(params).map(([k, v]) => [k, v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)]),
          );
          call = call.query(query);
        } else {
          call = call.send(params as object);
        }
        const res = await call;
        if (res.status >= 500)
          throw new Error(
            `${method.toUpperCase()} ${path()} → ${res.status} ${JSON.stringify(res.body)} for ${JSON.stringify(params).slice(0, 400)}`,
          );
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
  });

  it('a move with malformed path values answers 4xx', async () => {
    for (const v of ['%00', '..%2F..', '9223372036854775808', '-1', 'x'.repeat(300)]) {
      const res = await t.http().patch(`/api/v4/namespaces/${ids.group}/minutes/move/${v}`).set(adm);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
  });
});
