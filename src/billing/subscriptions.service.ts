import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull, LessThan } from 'typeorm';
import { modelError } from '../common/api-error';
import { todayUtc } from '../common/coerce';
import { uniqueViolation } from '../common/db-errors';
import { Namespace } from '../namespaces/entities/namespace.entity';
import { BillingNamespaces } from './billing-namespaces.service';
import { GitlabSubscription } from './entities/gitlab-subscription.entity';
import { GitlabSubscriptionHistory, HISTORY_CHANGE_TYPE } from './entities/gitlab-subscription-history.entity';
import { FREE_PLAN_ID, NOT_UPGRADABLE_PLANS, planById, planByName } from './plans';
import { SubscriptionParamsDto as SubscriptionAttrs } from './dto/subscriptions.dto';

/** The subscription entity (every leaf null without a subscription). */
export interface SubscriptionEntity {
  plan: {
    code: string | null;
    name: string | null;
    trial: boolean | null;
    auto_renew: boolean | null;
    upgradable: boolean | null;
    exclude_guests: boolean | null;
  };
  usage: { seats_in_subscription: number | null; seats_in_use: number | null; max_seats_used: number | null; seats_owed: number | null };
  billing: { subscription_start_date: string | null; subscription_end_date: string | null; trial_ends_on: string | null };
}

/** Stored attributes compared to decide whether a history row is written (everything but timestamps). */
const TRACKED: (keyof GitlabSubscription)[] = [
  'namespace_id',
  'hosted_plan_id',
  'start_date',
  'end_date',
  'seats',
  'seats_in_use',
  'max_seats_used',
  'seats_owed',
  'max_seats_used_changed_at',
  'last_seat_refresh_at',
  'auto_renew',
  'trial',
  'trial_starts_on',
  'trial_ends_on',
  'trial_extension_type',
];

const ULTIMATE_TRIAL_PAID_CUSTOMER = 'ultimate_trial_paid_customer';

function comparable(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value === undefined) return null;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return value;
}

/** The seat formulas. */
export function hasPaidHostedPlan(s: Pick<GitlabSubscription, 'trial' | 'seats' | 'hosted_plan_id'>): boolean {
  return !s.trial && Number(s.seats) > 0 && Boolean(planById(s.hosted_plan_id)?.paidHosted);
}

export function isExpired(s: Pick<GitlabSubscription, 'end_date'>, today = todayUtc()): boolean {
  return s.end_date !== null && s.end_date !== undefined && s.end_date < today;
}

export function seatsOwed(s: GitlabSubscription): number {
  return hasPaidHostedPlan(s) ? Math.max(0, Number(s.max_seats_used) - Number(s.seats)) : 0;
}

export function isUpgradable(s: GitlabSubscription): boolean {
  const plan = planById(s.hosted_plan_id);
  if (plan && NOT_UPGRADABLE_PLANS.includes(plan.name)) return false;
  return hasPaidHostedPlan(s) && !isExpired(s);
}

@Injectable()
export class SubscriptionsService {
  private readonly logger = new Logger(SubscriptionsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly namespaces: BillingNamespaces,
  ) {}

  /** The subscription of a namespace; `forUpdate` locks the row until the caller's transaction ends. */
  find(namespaceId: number, manager: EntityManager = this.dataSource.manager, forUpdate = false): Promise<GitlabSubscription | null> {
    return manager
      .getRepository(GitlabSubscription)
      .findOne({ where: { namespace_id: namespaceId }, ...(forUpdate ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  /** `plan_code`: null → free; known name → that plan; unknown → no plan. */
  private planId(code: string | null): number | null {
    if (code === null) return FREE_PLAN_ID;
    return planByName(code)?.id ?? null;
  }

  /** Model validation (`seats`, `start_date` present), keys prefixed for the nested form */
  private validate(s: GitlabSubscription, prefix: string, extra: Record<string, string[]> = {}): void {
    const errors: Record<string, string[]> = {};
    if (s.seats === null || s.seats === undefined) errors[`${prefix}seats`] = ["can't be blank"];
    if (s.start_date === null || s.start_date === undefined) errors[`${prefix}start_date`] = ["can't be blank"];
    Object.assign(errors, extra);
    if (Object.keys(errors).length) throw modelError(errors);
  }

  /**
   * Creates the subscription of N. `defaults` fills absent `start_date` / `seats`.
   * Must run inside a transaction (`manager`); a second subscription → `namespace_id has already been taken`
   * (with `rethrowRace`, a concurrent insert's unique violation is rethrown for the caller to retry).
   */
  async create(
    ns: Namespace,
    attrs: SubscriptionAttrs,
    manager: EntityManager,
    opts: { prefix?: string; trialStartsOnDefault: boolean; defaultStartDate?: string; rethrowRace?: boolean } = {
      trialStartsOnDefault: true,
    },
  ): Promise<GitlabSubscription> {
    const prefix = opts.prefix ?? '';
    const repo = manager.getRepository(GitlabSubscription);
    const s = repo.create({
      namespace_id: Number(ns.id),
      hosted_plan_id: 'plan_code' in attrs ? this.planId(attrs.plan_code ?? null) : null,
      start_date: 'start_date' in attrs ? (attrs.start_date as string) : (opts.defaultStartDate as string),
      end_date: attrs.end_date ?? null,
      seats: 'seats' in attrs ? (attrs.seats as number) : 0,
      seats_in_use: 0,
      max_seats_used: attrs.max_seats_used ?? 0,
      max_seats_used_changed_at: null,
      last_seat_refresh_at: null,
      auto_renew: attrs.auto_renew ?? null,
      trial: attrs.trial ?? false,
      trial_starts_on: attrs.trial_starts_on ?? null,
      trial_ends_on: attrs.trial_ends_on ?? null,
      trial_extension_type: attrs.trial_extension_type ?? null,
    });
    if (opts.trialStartsOnDefault && attrs.trial && attrs.trial_starts_on == null) s.trial_starts_on = s.start_date ?? null;
    const taken = (await repo.exists({ where: { namespace_id: Number(ns.id) } }))
      ? { [`${prefix}namespace_id`]: ['has already been taken'] }
      : {};
    this.validate(s, prefix, taken);
    s.seats_owed = seatsOwed(s);
    try {
      return await repo.save(s);
    } catch (err) {
      if (uniqueViolation(err) !== null && !opts.rethrowRace) throw modelError({ [`${prefix}namespace_id`]: ['has already been taken'] });
      throw err;
    }
  }

  /** Applies to an existing subscription inside the caller's transaction. */
  async update(
    ns: Namespace,
    s: GitlabSubscription,
    attrs: SubscriptionAttrs,
    manager: EntityManager,
    opts: { prefix?: string; trialStartsOnDefault: boolean },
  ): Promise<GitlabSubscription> {
    const prefix = opts.prefix ?? '';
    const prev = { ...s };
    const prevPlan = planById(prev.hosted_plan_id);
    const now = new Date();
    // 1. apply
    if ('start_date' in attrs) s.start_date = attrs.start_date as string;
    if ('end_date' in attrs) s.end_date = attrs.end_date ?? null;
    if ('plan_code' in attrs) s.hosted_plan_id = this.planId(attrs.plan_code ?? null);
    if ('seats' in attrs) s.seats = attrs.seats as number;
    if ('max_seats_used' in attrs) s.max_seats_used = attrs.max_seats_used ?? 0;
    if ('auto_renew' in attrs) s.auto_renew = attrs.auto_renew ?? null;
    if ('trial' in attrs) s.trial = attrs.trial ?? false;
    if ('trial_starts_on' in attrs) s.trial_starts_on = attrs.trial_starts_on ?? null;
    if ('trial_ends_on' in attrs) s.trial_ends_on = attrs.trial_ends_on ?? null;
    if ('trial_extension_type' in attrs) s.trial_extension_type = attrs.trial_extension_type ?? null;
    if (opts.trialStartsOnDefault && attrs.trial && attrs.trial_starts_on == null) s.trial_starts_on = s.start_date ?? null;
    this.validate(s, prefix);
    // 2. new term
    const newTerm =
      s.start_date !== prev.start_date && s.end_date !== prev.end_date && (prev.end_date === null || s.start_date >= prev.end_date);
    // 3. max_seats_used changed outside a new term
    if (Number(s.max_seats_used) !== Number(prev.max_seats_used) && !newTerm) s.max_seats_used_changed_at = now;
    // 4. reset of the seat statistics
    const newPlan = planById(s.hosted_plan_id);
    let reset: boolean;
    if (prevPlan?.name === ULTIMATE_TRIAL_PAID_CUSTOMER || newPlan?.name === ULTIMATE_TRIAL_PAID_CUSTOMER) {
      reset =
        prev.hosted_plan_id !== s.hosted_plan_id &&
        newPlan?.name !== ULTIMATE_TRIAL_PAID_CUSTOMER &&
        (newPlan?.name !== 'premium' || newTerm);
    } else {
      const changedAt = s.max_seats_used_changed_at ? new Date(s.max_seats_used_changed_at).toISOString().slice(0, 10) : null;
      reset =
        hasPaidHostedPlan(s) && (newTerm || (prev.trial === true && s.trial === false) || (changedAt !== null && changedAt < s.start_date));
    }
    if (reset) {
      s.seats_in_use = await this.namespaces.billableUserCount(ns, manager);
      s.max_seats_used = s.seats_in_use;
      s.max_seats_used_changed_at = now;
    }
    // 5. derived values
    s.seats_owed = seatsOwed(s);
    s.updated_at = now;
    // 6. history
    if (TRACKED.some((k) => comparable(prev[k]) !== comparable(s[k]))) {
      const history = manager.getRepository(GitlabSubscriptionHistory);
      await history.save(
        history.create({
          gitlab_subscription_id: Number(s.id),
          namespace_id: Number(s.namespace_id),
          change_type: HISTORY_CHANGE_TYPE.updated,
          previous: Object.fromEntries(
            [...TRACKED, 'created_at', 'updated_at'].map((k) => [k, comparable(prev[k as keyof GitlabSubscription])]),
          ),
        }),
      );
    }
    return manager.getRepository(GitlabSubscription).save(s);
  }

  /** The subscription entity. */
  async render(ns: Namespace, s: GitlabSubscription | null, manager: EntityManager = this.dataSource.manager): Promise<SubscriptionEntity> {
    if (!s) {
      return {
        plan: { code: null, name: null, trial: null, auto_renew: null, upgradable: null, exclude_guests: null },
        usage: { seats_in_subscription: null, seats_in_use: null, max_seats_used: null, seats_owed: null },
        billing: { subscription_start_date: null, subscription_end_date: null, trial_ends_on: null },
      };
    }
    const plan = planById(s.hosted_plan_id);
    const paid = hasPaidHostedPlan(s);
    return {
      plan: {
        code: plan?.name ?? null,
        name: plan?.title ?? null,
        trial: Boolean(s.trial),
        auto_renew: s.auto_renew ?? null,
        upgradable: isUpgradable(s),
        exclude_guests: await this.namespaces.excludeGuests(ns, manager),
      },
      usage: {
        seats_in_subscription: Number(s.seats),
        seats_in_use: paid ? Number(s.seats_in_use) : await this.namespaces.billableUserCount(ns, manager),
        max_seats_used: Number(s.max_seats_used),
        seats_owed: Number(s.seats_owed),
      },
      billing: { subscription_start_date: s.start_date, subscription_end_date: s.end_date ?? null, trial_ends_on: s.trial_ends_on ?? null },
    };
  }

  /** Seat refresh of one paid-hosted subscription (stored values). */
  async refreshSeats(subscriptionId: number): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const s = await m.getRepository(GitlabSubscription).findOne({ where: { id: subscriptionId }, lock: { mode: 'pessimistic_write' } });
      if (!s || !hasPaidHostedPlan(s)) return;
      const ns = await m.getRepository(Namespace).findOne({ where: { id: s.namespace_id } });
      if (!ns) return;
      const now = new Date();
      s.seats_in_use = await this.namespaces.billableUserCount(ns, m);
      if (s.seats_in_use > Number(s.max_seats_used)) {
        s.max_seats_used = s.seats_in_use;
        s.max_seats_used_changed_at = now;
      }
      s.seats_owed = seatsOwed(s);
      s.last_seat_refresh_at = now;
      await m.getRepository(GitlabSubscription).save(s);
    });
  }

  /** The periodic job: every paid-hosted subscription not refreshed in the last 18 hours. */
  async refreshStaleSeats(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - 18 * 3600_000);
    const candidates = await this.dataSource.getRepository(GitlabSubscription).find({
      where: [{ last_seat_refresh_at: IsNull() }, { last_seat_refresh_at: LessThan(cutoff) }],
      order: { id: 'ASC' },
    });
    let refreshed = 0;
    for (const s of candidates) {
      if (!hasPaidHostedPlan(s)) continue;
      try {
        await this.refreshSeats(Number(s.id));
        refreshed++;
      } catch (err) {
        this.logger.error({ err, subscriptionId: s.id }, 'seat refresh failed');
      }
    }
    return refreshed;
  }
}
