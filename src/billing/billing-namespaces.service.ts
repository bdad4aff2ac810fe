import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { notFound } from '../common/api-error';
import { APP_CONFIG, AppConfig } from '../config/config';
import { COUNTING_MEMBERSHIP_SQL } from '../namespaces/access.service';
import { Namespace } from '../namespaces/namespace.entity';
import { GitlabSubscription } from './entities/gitlab-subscription.entity';
import { EXCLUDE_GUESTS_PLANS, PlanInfo, planById, planByName } from './plans';
import { isStorableText } from '../common/storable-text';

/** SQL of the ids of a namespace and its descendants (`$1` = the namespace id); used as `WITH RECURSIVE tree`. */
const TREE_CTE = `tree(id) AS (SELECT id FROM namespaces WHERE id = $1
  UNION ALL SELECT n.id FROM namespaces n JOIN tree ON n.parent_id = tree.id)`;

/** Namespace lookups and the domain quantities of billing.md §0.5 and §1.1–§1.2. */
@Injectable()
export class BillingNamespaces {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /** §0.5: `^-?\d+$` is an id, anything else a full path (case-insensitive). */
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

  /** §0.5 lookup or 404 `<resource> Not Found` (default `Namespace`). */
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
    const rows: { id: string | number }[] = await manager.query(
      `WITH RECURSIVE up(id, parent_id) AS (
         SELECT id, parent_id FROM namespaces WHERE id = $1
         UNION ALL SELECT n.id, n.parent_id FROM namespaces n JOIN up ON n.id = up.parent_id)
       SELECT id FROM up WHERE parent_id IS NULL LIMIT 1`,
      [ns.id],
    );
    return Number(rows[0]?.id ?? ns.id);
  }

  async rootSubscription(ns: Namespace, manager: EntityManager = this.manager): Promise<GitlabSubscription | null> {
    const rootId = await this.rootId(ns, manager);
    return manager.getRepository(GitlabSubscription).findOne({ where: { namespace_id: rootId } });
  }

  /** §1.1 actual plan: the root's subscription plan, else `free` (GitLab.com) or `default`. */
  async actualPlan(ns: Namespace, manager: EntityManager = this.manager): Promise<PlanInfo> {
    const sub = await this.rootSubscription(ns, manager);
    return planById(sub?.hosted_plan_id) ?? (planByName(this.config.gitlabSaas ? 'free' : 'default') as PlanInfo);
  }

  /** §1.2 `exclude_guests(N)`. */
  async excludeGuests(ns: Namespace, manager: EntityManager = this.manager): Promise<boolean> {
    if (ns.type !== 'Group') return false;
    return EXCLUDE_GUESTS_PLANS.includes((await this.actualPlan(ns, manager)).name);
  }

  /** §1.2 `count(billable_user_ids(N))`. */
  async billableUserCount(ns: Namespace, manager: EntityManager = this.manager): Promise<number> {
    if (ns.type !== 'Group') return 1;
    const minLevel = (await this.excludeGuests(ns, manager)) ? 11 : 10;
    const rows: { count: string | number }[] = await manager.query(
      `WITH RECURSIVE ${TREE_CTE}
       SELECT count(DISTINCT m.user_id) AS count FROM members m JOIN users u ON u.id = m.user_id AND u.state = 'active'
       WHERE ${COUNTING_MEMBERSHIP_SQL} AND m.access_level >= $2 AND (
         (m.source_type = 'Namespace' AND m.source_id IN (SELECT id FROM tree)) OR
         (m.source_type = 'Project' AND m.source_id IN (
            SELECT p.id FROM projects p WHERE p.pending_delete = false AND p.namespace_id IN (SELECT id FROM tree))))`,
      [ns.id, minLevel],
    );
    return Number(rows[0]?.count ?? 0);
  }

  /** Distinct active users with a counting membership in N or a descendant group (§3.6). */
  async membersCountWithDescendants(ns: Namespace, manager: EntityManager = this.manager): Promise<number> {
    const rows: { count: string | number }[] = await manager.query(
      `WITH RECURSIVE ${TREE_CTE}
       SELECT count(DISTINCT m.user_id) AS count FROM members m JOIN users u ON u.id = m.user_id AND u.state = 'active'
       WHERE ${COUNTING_MEMBERSHIP_SQL} AND m.source_type = 'Namespace' AND m.source_id IN (SELECT id FROM tree)`,
      [ns.id],
    );
    return Number(rows[0]?.count ?? 0);
  }

  /** Projects (not pending deletion) in N and its descendants (§3.6). */
  async projectsCount(ns: Namespace, manager: EntityManager = this.manager): Promise<number> {
    const rows: { count: string | number }[] = await manager.query(
      `WITH RECURSIVE ${TREE_CTE}
       SELECT count(*) AS count FROM projects p WHERE p.pending_delete = false AND p.namespace_id IN (SELECT id FROM tree)`,
      [ns.id],
    );
    return Number(rows[0]?.count ?? 0);
  }

  /** Owners for §3.13: a group's direct owner members (active users, counting memberships); a personal namespace's owner. */
  async ownerIds(ns: Namespace, manager: EntityManager = this.manager): Promise<number[]> {
    if (ns.type !== 'Group') return ns.owner_id === null ? [] : [Number(ns.owner_id)];
    const rows: { user_id: string | number }[] = await manager.query(
      `SELECT m.user_id FROM members m JOIN users u ON u.id = m.user_id AND u.state = 'active'
       WHERE m.source_type = 'Namespace' AND m.source_id = $1 AND m.access_level = 50 AND ${COUNTING_MEMBERSHIP_SQL}`,
      [ns.id],
    );
    return rows.map((r) => Number(r.user_id));
  }

  webUrl(ns: Namespace): string {
    return ns.type === 'Group' ? `${this.config.externalUrl}/groups/${ns.full_path}` : `${this.config.externalUrl}/${ns.path}`;
  }
}
