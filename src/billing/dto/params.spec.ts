import { paramErrorOf } from '../../../test/helpers/param-errors';
import { readParams } from '../../common/params';
import { PacksParamsDto, StorageExclusionParamsDto } from './purchases.dto';
import { ReconciliationDeleteParamsDto, ReconciliationsParamsDto, singleReconciliation } from './reconciliations.dto';
import { NamespaceUpdateDto, NewSubscriptionParamsDto, SubscriptionParamsDto } from './subscriptions.dto';

describe('billing parameters', () => {
  it('collects missing and invalid parameters in declaration order', () => {
    expect(paramErrorOf(() => readParams(NewSubscriptionParamsDto, { seats: 'x', trial: 'maybe', end_date: 'yesterday' }))).toBe(
      'start_date is missing, end_date is invalid, seats is invalid, trial is invalid',
    );
    expect(paramErrorOf(() => readParams(SubscriptionParamsDto, { trial_extension_type: 3 }))).toBe(
      'trial_extension_type does not have a valid value',
    );
    expect(paramErrorOf(() => readParams(SubscriptionParamsDto, { trial_extension_type: 40000 }))).toBe('trial_extension_type is invalid');
  });

  it('distinguishes absent, null and values; "" counts as null for dates, integers and booleans', () => {
    const attrs = readParams(SubscriptionParamsDto, {
      seats: null,
      max_seats_used: '',
      plan_code: 12,
      trial: '1',
      end_date: ' ',
      auto_renew: '',
    });
    expect({ ...attrs }).toEqual({ seats: null, max_seats_used: null, plan_code: '12', trial: true, end_date: null, auto_renew: null });
    expect('start_date' in attrs).toBe(false);
    expect(readParams(NewSubscriptionParamsDto, { start_date: null }).start_date).toBeNull();
    expect(readParams(SubscriptionParamsDto, { start_date: '15 Jul 2020', seats: ' 12 ' })).toMatchObject({
      start_date: '2020-07-15',
      seats: 12,
    });
  });

  it('names nested fields with brackets and rejects integers beyond int4', () => {
    expect(
      paramErrorOf(() =>
        readParams(NamespaceUpdateDto, { gitlab_subscription_attributes: { seats: 'many' }, shared_runners_minutes_limit: 2 ** 31 }),
      ),
    ).toBe('shared_runners_minutes_limit is invalid, gitlab_subscription_attributes[seats] is invalid');
    expect(paramErrorOf(() => readParams(PacksParamsDto, { packs: [{ number_of_minutes: 1 }] }))).toBe(
      'packs[0][expires_at] is missing, packs[0][purchase_xid] is missing',
    );
    expect(readParams(NamespaceUpdateDto, { additional_purchased_storage_size: 2 ** 40 }).additional_purchased_storage_size).toBe(2 ** 40);
  });

  it('reads form-style indexed objects as arrays and rejects non-object elements or null', () => {
    const ok = readParams(PacksParamsDto, {
      packs: {
        '1': { number_of_minutes: 2, expires_at: '', purchase_xid: 'y' },
        '0': { number_of_minutes: 1, expires_at: null, purchase_xid: 'x' },
      },
    });
    expect(ok.packs.map((p) => p.purchase_xid)).toEqual(['x', 'y']);
    expect(ok.packs.map((p) => p.expires_at)).toEqual([null, null]);
    expect(paramErrorOf(() => readParams(PacksParamsDto, { packs: ['x'] }))).toBe('packs is invalid');
    expect(paramErrorOf(() => readParams(PacksParamsDto, { packs: null }))).toBe('packs is invalid');
  });

  it('reports reconciliation elements by the array name and requires a namespace_id that is not blank', () => {
    expect(
      paramErrorOf(() =>
        readParams(ReconciliationsParamsDto, { upcoming_reconciliations: [{ namespace_id: ' ', next_reconciliation_date: 'x' }] }),
      ),
    ).toBe(
      'upcoming_reconciliations[namespace_id] is empty, upcoming_reconciliations[next_reconciliation_date] is invalid, upcoming_reconciliations[display_alert_from] is missing',
    );
    expect(paramErrorOf(() => readParams(ReconciliationDeleteParamsDto, { namespace_id: null }))).toBe('namespace_id is empty');
    expect(readParams(ReconciliationDeleteParamsDto, { namespace_id: '7' }).namespace_id).toBe(7);
    const element = { next_reconciliation_date: '2021-06-13', display_alert_from: '2021-06-06' };
    expect(singleReconciliation({ upcoming_reconciliations: [element] })).toBe(element);
    expect(singleReconciliation({ upcoming_reconciliations: [element], display_alert_from: 'x' })).not.toBe(element);
  });

  it('rejects a NUL character, which PostgreSQL text cannot store', () => {
    expect(paramErrorOf(() => readParams(StorageExclusionParamsDto, { reason: 'a\u0000b' }))).toBe('reason is invalid');
    expect(readParams(StorageExclusionParamsDto, { reason: 'a b' }).reason).toBe('a b');
  });
});
