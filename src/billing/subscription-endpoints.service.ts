import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../auth/principal';
import { ApiError, forbidden, modelError, notFound } from '../common/api-error';
import { isoTimestamp, todayUtc } from '../common/coerce';
import { uniqueViolation } from '../common/db-errors';
import { PageRequest, Paginated } from '../common/pagination';
import { User } from '../identity/entities/user.entity';
import { AccessService } from '../namespaces/access.service';
import { MembershipRepository } from '../namespaces/membership.repository';
import { NamespaceTreeRepository } from '../namespaces/namespace-tree.repository';
import { Namespace, VISIBILITY } from '../namespaces/entities/namespace.entity';
import { BillingNamespaces } from './billing-namespaces.service';
import { NamespaceLimit } from './entities/namespace-limit.entity';
import { NamespaceUpdateDto, NewSubscriptionParamsDto, SubscriptionParamsDto as SubscriptionAttrs } from './dto/subscriptions.dto';
import { hasPaidHostedPlan, SubscriptionEntity, SubscriptionsService } from './subscriptions.service';

/** The subscription and namespace routes */
@Injectable()
export class SubscriptionEndpoints {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly namespaces: BillingNamespaces,
    private readonly subscriptions: SubscriptionsService,
    private readonly access: AccessService,
    private readonly memberships: MembershipRepository,
    private readonly tree: NamespaceTreeRepository,
  ) {}

  async create(ns: Namespace, attrs: NewSubscriptionParamsDto): Promise<SubscriptionEntity> {
    const sub = await this.dataSource.transaction((m) => this.subscriptions.create(ns, attrs, m, { trialStartsOnDefault: true }));
    return this.subscriptions.render(ns, sub);
  }

  async update(ns: Namespace, attrs: SubscriptionAttrs): Promise<SubscriptionEntity> {
    const sub = await this.dataSource.transaction(async (m) => {
      const existing = await this.subscriptions.find(Number(ns.id), m, true);
      if (!existing) throw notFound('GitlabSubscription');
      return this.subscriptions.update(ns, existing, attrs, m, { trialStartsOnDefault: true });
    });
    return this.subscriptions.render(ns, sub);
  }

  async getInternal(id: string): Promise<SubscriptionEntity> {
    const ns = await this.namespaces.findOrFail(id);
    return this.subscriptions.render(ns, await this.subscriptions.find(Number(ns.id)));
  }

  /** visibility (404), then permission (403). */
  async getAsUser(id: string, principal: Principal): Promise<SubscriptionEntity> {
    const user = 'user' in principal ? principal.user : null;
    const ns = await this.namespaces.find(id);
    if (!ns || !user) throw notFound('Namespace');
    if (!user.admin) {
      if (!(await this.visible(ns, user))) throw notFound('Namespace');
      const allowed =
        ns.type === 'Group'
          ? (await this.access.groupAccessLevel(Number(user.id), Number(ns.id))) >= 50
          : Number(ns.owner_id) === Number(user.id);
      if (!allowed) throw forbidden();
    }
    return this.subscriptions.render(ns, await this.subscriptions.find(Number(ns.id)));
  }

  private async visible(ns: Namespace, user: User): Promise<boolean> {
    if (ns.type !== 'Group') return Number(ns.owner_id) === Number(user.id);
    if (ns.visibility_level === VISIBILITY.public) return true;
    if (ns.visibility_level === VISIBILITY.internal && !user.external) return true;
    return this.memberships.hasCountingMembershipAround(Number(user.id), Number(ns.id));
  }

  async owners(id: string, page: PageRequest): Promise<Paginated<unknown>> {
    const ns = await this.namespaces.find(id);
    if (!ns || ns.type !== 'Group') throw notFound('Group Namespace');
    const { total: count, rows } = await this.memberships.activeOwnersPage(Number(ns.id), page);
    const items = rows.map((r) => ({
      user: { id: Number(r.id), username: r.username, name: r.name },
      access_level: Number(r.access_level),
      notification_email: r.notification_email || r.email,
    }));
    return new Paginated(items, page, Number(count));
  }

  async namespaceInfo(id: string): Promise<Record<string, unknown>> {
    const ns = await this.namespaces.findOrFail(id);
    return this.renderNamespace(ns);
  }

  async renderNamespace(ns: Namespace, manager: EntityManager = this.dataSource.manager): Promise<Record<string, unknown>> {
    const limit = await manager.getRepository(NamespaceLimit).findOne({ where: { namespace_id: ns.id } });
    const sub = await this.subscriptions.find(Number(ns.id), manager);
    const rootSub = ns.parent_id === null ? sub : await this.namespaces.rootSubscription(ns, manager);
    const plan = await this.namespaces.actualPlan(ns, manager);
    const isGroup = ns.type === 'Group';
    const billable = await this.namespaces.billableUserCount(ns, manager);
    const out: Record<string, unknown> = {
      id: Number(ns.id),
      name: ns.name,
      path: ns.path,
      kind: isGroup ? 'group' : 'user',
      full_path: ns.full_path,
      parent_id: ns.parent_id === null ? null : Number(ns.parent_id),
      avatar_url: null,
      web_url: this.namespaces.webUrl(ns),
      shared_runners_minutes_limit: limit?.shared_runners_minutes_limit ?? null,
      extra_shared_runners_minutes_limit: limit?.extra_shared_runners_minutes_limit ?? null,
      additional_purchased_storage_size: Number(limit?.additional_purchased_storage_size ?? 0),
      additional_purchased_storage_ends_on: limit?.additional_purchased_storage_ends_on ?? null,
      billable_members_count: billable,
    };
    if (sub) {
      out.seats_in_use = hasPaidHostedPlan(sub) ? Number(sub.seats_in_use) : billable;
      out.max_seats_used = Number(sub.max_seats_used);
      out.max_seats_used_changed_at = isoTimestamp(sub.max_seats_used_changed_at);
      out.end_date = sub.end_date ?? null;
    }
    out.plan = plan.name;
    out.trial_ends_on = rootSub?.trial_ends_on ?? null;
    out.trial = Boolean(rootSub?.trial);
    if (isGroup) {
      out.members_count_with_descendants = await this.namespaces.membersCountWithDescendants(ns, manager);
      out.root_repository_size = null;
      out.projects_count = await this.namespaces.projectsCount(ns, manager);
    }
    return out;
  }

  async updateNamespace(ns: Namespace, input: NamespaceUpdateDto): Promise<Record<string, unknown>> {
    const limits = {
      shared_runners_minutes_limit: input.shared_runners_minutes_limit,
      extra_shared_runners_minutes_limit: input.extra_shared_runners_minutes_limit,
      additional_purchased_storage_size: input.additional_purchased_storage_size,
      additional_purchased_storage_ends_on: input.additional_purchased_storage_ends_on,
    };
    const attrs = input.gitlab_subscription_attributes ?? undefined;
    const limitErrors: Record<string, string[]> = {};
    for (const key of [
      'shared_runners_minutes_limit',
      'extra_shared_runners_minutes_limit',
      'additional_purchased_storage_size',
    ] as const) {
      const v = limits[key];
      if (typeof v === 'number' && v < 0) limitErrors[key] = ['must be greater than or equal to 0'];
    }
    if (limits.additional_purchased_storage_size === null) limitErrors.additional_purchased_storage_size = ["can't be blank"];
    const run = (m: EntityManager) => this.applyNamespaceUpdate(ns, limits, limitErrors, attrs, m);
    try {
      return await this.dataSource.transaction(run);
    } catch (err) {
      // a concurrent request created the limits row or the subscription first: once more, now updating them
      if (uniqueViolation(err) === null) throw err;
    }
    return this.dataSource.transaction(run);
  }

  private async applyNamespaceUpdate(
    ns: Namespace,
    limits: Record<string, unknown>,
    limitErrors: Record<string, string[]>,
    attrs: SubscriptionAttrs | undefined,
    m: EntityManager,
  ): Promise<Record<string, unknown>> {
    // concurrent updates of one namespace take turns, so creating its limits row or subscription never races
    await this.tree.lock(Number(ns.id), m);
    let subscriptionError: ApiError | null = null;
    if (attrs) {
      try {
        const existing = await this.subscriptions.find(Number(ns.id), m, true);
        if (existing)
          await this.subscriptions.update(ns, existing, attrs, m, { prefix: 'gitlab_subscription.', trialStartsOnDefault: false });
        else
          await this.subscriptions.create(ns, attrs, m, {
            prefix: 'gitlab_subscription.',
            trialStartsOnDefault: false,
            defaultStartDate: todayUtc(),
            rethrowRace: true,
          });
      } catch (err) {
        if (!(err instanceof ApiError) || err.status !== 400) throw err;
        subscriptionError = err;
      }
    }
    if (Object.keys(limitErrors).length || subscriptionError) {
      const nestedErrors = (subscriptionError?.body as { message?: Record<string, string[]> } | undefined)?.message ?? {};
      throw modelError({ ...limitErrors, ...nestedErrors });
    }
    const given = Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined));
    if ('extra_shared_runners_minutes_limit' in given) {
      given.last_ci_minutes_notification_at = null;
      given.last_ci_minutes_usage_notification_level = null;
    }
    if (Object.keys(given).length) {
      const repo = m.getRepository(NamespaceLimit);
      const row = (await repo.findOne({ where: { namespace_id: ns.id } })) ?? repo.create({ namespace_id: Number(ns.id) });
      Object.assign(row, given);
      await repo.save(row);
    }
    return this.renderNamespace(ns, m);
  }
}
