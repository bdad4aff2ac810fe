import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { notFound } from '../common/api-error';
import { APP_CONFIG, AppConfig } from '../config/config';
import { MembershipRepository } from '../namespaces/membership.repository';
import { Namespace } from '../namespaces/entities/namespace.entity';
import { NamespaceTreeRepository, NamespaceTreeSql } from '../namespaces/namespace-tree.repository';
import { Queryable } from '../common/queryable';
import { GitlabSubscription } from './entities/gitlab-subscription.entity';
import { EXCLUDE_GUESTS_PLANS, PlanInfo, planById, planByName } from './plans';
import { isStorableText } from '../common/storable-text';

/** Namespace lookups and the domain quantities */
@Injectable()
export class BillingNamespaces {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tree: NamespaceTreeRepository,
    private readonly memberships: MembershipRepository,
  ) {}

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /** `^-?\d+$` is an id, anything else a full path (case-insensitive). */
  async find(idOrPath: string, manager: EntityManager = this.manager): Promise<Namespace | null> {
    const text = String(idOrPath);
    // text PostgreSQL cannot store (NUL, invalid UTF-8) names nothing
    if (!isStorableText(text)) return null;
    if (/^-?\d+$/.test(text)) {
      const id = Number(text);
      if (!Number.isSafeInteger(id) || id < 1) return null;
      return manager.getRepository(Namespace).findOne({ where: { id } });
    }
    return manager.getRepository(Namespace).createQueryBuilder('n').where('lower(n.full_path) = lower(:p)', { p: text }).getOne();
  }

  /** lookup or 404 `<resource> Not Found` (default `Namespace`). */
  async findOrFail(idOrPath: string, resource = 'Namespace', manager: EntityManager = this.manager): Promise<Namespace> {
    const ns = await this.find(idOrPath, manager);
    if (!ns) throw notFound(resource);
    return ns;
  }

  isRoot(ns: Namespace): boolean {
    return ns.parent_id === null || ns.parent_id === undefined;
  }

  /** The root namespace's id (the namespace itself when it is root). */
  async rootId(ns: Namespace, manager: EntityManager = this.manager): Promise<number> {
    if (this.isRoot(ns)) return Number(ns.id);
    return (await this.tree.root(Number(ns.id), manager))?.id ?? Number(ns.id);
  }

  async rootSubscription(ns: Namespace, manager: EntityManager = this.manager): Promise<GitlabSubscription | null> {
    const rootId = await this.rootId(ns, manager);
    return manager.getRepository(GitlabSubscription).findOne({ where: { namespace_id: rootId } });
  }

  /**
   * The tier (free, premium, ultimate) of the plan subscribed by the root of a namespace's tree, in one query;
   * `free` without a subscription. Other modules ask this instead of reading the billing tables.
   */
  async rootPlanTier(namespaceId: number, q: Queryable = this.manager): Promise<PlanInfo['tier']> {
    const rows: { hosted_plan_id: number | null }[] = await q.query(
      `WITH RECURSIVE ${NamespaceTreeSql.ancestorsOfId('up', '$1')}
       SELECT s.hosted_plan_id FROM up JOIN gitlab_subscriptions s ON s.namespace_id = up.id WHERE up.parent_id IS NULL LIMIT 1`,
      [namespaceId],
    );
    return planById(rows[0]?.hosted_plan_id)?.tier ?? 'free';
  }

  /** actual plan: the root's subscription plan, else `free` (GitLab.com) or `default`. */
  async actualPlan(ns: Namespace, manager: EntityManager = this.manager): Promise<PlanInfo> {
    const sub = await this.rootSubscription(ns, manager);
    return planById(sub?.hosted_plan_id) ?? (planByName(this.config.gitlabSaas ? 'free' : 'default') as PlanInfo);
  }

  /** `exclude_guests(N)`. */
  async excludeGuests(ns: Namespace, manager: EntityManager = this.manager): Promise<boolean> {
    if (ns.type !== 'Group') return false;
    return EXCLUDE_GUESTS_PLANS.includes((await this.actualPlan(ns, manager)).name);
  }

  /** `count(billable_user_ids(N))`. */
  async billableUserCount(ns: Namespace, manager: EntityManager = this.manager): Promise<number> {
    if (ns.type !== 'Group') return 1;
    const minLevel = (await this.excludeGuests(ns, manager)) ? 11 : 10;
    return this.memberships.activeMemberCountInTree(Number(ns.id), { minLevel, withProjects: true }, manager);
  }

  /** Distinct active users with a counting membership in N or a descendant group. */
  async membersCountWithDescendants(ns: Namespace, manager: EntityManager = this.manager): Promise<number> {
    return this.memberships.activeMemberCountInTree(Number(ns.id), { withProjects: false }, manager);
  }

  /** Projects (not pending deletion) in N and its descendants. */
  async projectsCount(ns: Namespace, manager: EntityManager = this.manager): Promise<number> {
    return this.tree.liveProjectCount(Number(ns.id), manager);
  }

  /** Owners for: a group's direct owner members (active users, counting memberships); a personal namespace's owner. */
  async ownerIds(ns: Namespace, manager: EntityManager = this.manager): Promise<number[]> {
    if (ns.type !== 'Group') return ns.owner_id === null ? [] : [Number(ns.owner_id)];
    return this.memberships.activeOwnerIds(Number(ns.id), manager);
  }

  webUrl(ns: Namespace): string {
    return ns.type === 'Group' ? `${this.config.externalUrl}/groups/${ns.full_path}` : `${this.config.externalUrl}/${ns.path}`;
  }
}
