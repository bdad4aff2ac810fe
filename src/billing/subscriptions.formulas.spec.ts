import { GitlabSubscription } from './entities/gitlab-subscription.entity';
import { hasPaidHostedPlan, isExpired, isUpgradable, seatsOwed } from './subscriptions.service';
import { planByName } from './plans';

const sub = (plan: string | null, extra: Partial<GitlabSubscription> = {}) =>
  ({
    hosted_plan_id: plan ? planByName(plan)!.id : null,
    trial: false,
    seats: 10,
    max_seats_used: 0,
    end_date: null,
    ...extra,
  }) as GitlabSubscription;

describe('subscription formulas', () => {
  it('a paid hosted plan needs a paid plan, seats and no trial', () => {
    expect(hasPaidHostedPlan(sub('premium'))).toBe(true);
    expect(hasPaidHostedPlan(sub('bronze'))).toBe(true);
    expect(hasPaidHostedPlan(sub('free'))).toBe(false);
    expect(hasPaidHostedPlan(sub('early_adopter'))).toBe(false);
    expect(hasPaidHostedPlan(sub(null))).toBe(false);
    expect(hasPaidHostedPlan(sub('premium', { trial: true }))).toBe(false);
    expect(hasPaidHostedPlan(sub('premium', { seats: 0 }))).toBe(false);
  });

  it('seats owed only on paid plans, never negative', () => {
    expect(seatsOwed(sub('premium', { seats: 20, max_seats_used: 42 }))).toBe(22);
    expect(seatsOwed(sub('premium', { seats: 20, max_seats_used: 3 }))).toBe(0);
    expect(seatsOwed(sub('free', { seats: 20, max_seats_used: 42 }))).toBe(0);
    expect(seatsOwed(sub('premium', { seats: 20, max_seats_used: 42, trial: true }))).toBe(0);
  });

  it('expired when the end date is before today', () => {
    expect(isExpired(sub('premium', { end_date: '2020-01-01' }), '2020-01-02')).toBe(true);
    expect(isExpired(sub('premium', { end_date: '2020-01-02' }), '2020-01-02')).toBe(false);
    expect(isExpired(sub('premium'), '2020-01-02')).toBe(false);
  });

  it('top plans are never upgradable; others when paid and not expired', () => {
    for (const plan of ['gold', 'ultimate', 'opensource']) expect(isUpgradable(sub(plan))).toBe(false);
    expect(isUpgradable(sub('premium'))).toBe(true);
    expect(isUpgradable(sub('silver'))).toBe(true);
    expect(isUpgradable(sub('premium', { end_date: '2000-01-01' }))).toBe(false);
    expect(isUpgradable(sub('premium', { trial: true }))).toBe(false);
    expect(isUpgradable(sub('ultimate_trial'))).toBe(true);
  });
});
