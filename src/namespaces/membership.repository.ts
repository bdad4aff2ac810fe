import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Queryable } from '../common/queryable';
import { Member, MemberSourceType } from './entities/member.entity';
import { NamespaceTreeSql } from './namespace-tree.repository';
import { preparedQuery } from '../database/prepared-statements';

/**
 * SQL condition of a membership that counts (alias `m`): active, not an access request, and not expired — an
 * `expires_at` of today (UTC) has expired; only null or a later date counts.
 */
export const COUNTING_MEMBERSHIP_SQL = `m.state = 0 AND m.requested_at IS NULL AND (m.expires_at IS NULL OR m.expires_at > (now() AT TIME ZONE 'UTC')::date)`;

/** The same rule for a membership already read: `today` is the UTC date `YYYY-MM-DD`. */
export function isCountingMembership(member: Pick<Member, 'state' | 'requested_at' | 'expires_at'>, today: string): boolean {
  return member.state === 0 && member.requested_at === null && (member.expires_at === null || member.expires_at > today);
}

/** L(user, project) of {@link MembershipRepository.maxAccessLevel}: `$1` the user, `$2` the project (one text, prepared). */
const MAX_ACCESS_LEVEL_SQL = `WITH RECURSIVE p AS (SELECT id, namespace_id FROM projects WHERE id = $2),
   ${NamespaceTreeSql.ancestors('up', 'namespaces n JOIN p ON n.id = p.namespace_id', ['type', 'owner_id'])}
   SELECT GREATEST(
     (SELECT CASE WHEN EXISTS (SELECT 1 FROM up WHERE up.type = 'User' AND up.owner_id = $1) THEN 50 ELSE 0 END),
     (SELECT max(m.access_level) FROM members m WHERE m.user_id = $1 AND ${COUNTING_MEMBERSHIP_SQL} AND (
        (m.source_type = 'Project' AND m.source_id = $2) OR (m.source_type = 'Namespace' AND m.source_id IN (SELECT id FROM up))))
   ) AS level`;

/** L(user, group) of {@link MembershipRepository.maxGroupAccessLevel}: `$1` the user, `$2` the group. */
const MAX_GROUP_ACCESS_LEVEL_SQL = `WITH RECURSIVE ${NamespaceTreeSql.ancestors('up', 'namespaces n WHERE n.id = $2')}
   SELECT max(m.access_level) AS level FROM members m
   WHERE m.user_id = $1 AND m.source_type = 'Namespace' AND m.source_id IN (SELECT id FROM up) AND ${COUNTING_MEMBERSHIP_SQL}`;

/** A group owner as the billing portal lists it. */
export interface OwnerRow {
  id: string;
  username: string;
  name: string;
  access_level: number;
  notification_email: string | null;
  email: string;
}

/** Every question about memberships and the access levels they give, and the bulk membership removals. */
@Injectable()
export class MembershipRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** L(user, project): 50 in the user's personal namespace, else the highest counting membership of the project and its groups. */
  async maxAccessLevel(userId: number, projectId: number, q: Queryable = this.dataSource): Promise<number> {
    const rows = await preparedQuery<{ level: number | null }>(
      q,
      MAX_ACCESS_LEVEL_SQL,
      [userId, projectId],
    );
    return Number(rows[0]?.level ?? 0);
  }

  /** L(user, group): the highest counting membership of the group and its ancestors. */
  async maxGroupAccessLevel(userId: number, groupId: number, q: Queryable = this.dataSource): Promise<number> {
    const rows = await preparedQuery<{ level: number | null }>(
      q,
      MAX_GROUP_ACCESS_LEVEL_SQL,
      [userId, groupId],
    );
    return Number(rows[0]?.level ?? 0);
  }

  /** Whether the user has a counting direct membership of exactly this group or project. */
  async hasCountingMembership(
    userId: number,
    sourceType: MemberSourceType,
    sourceId: number,
    q: Queryable = this.dataSource,
  ): Promise<boolean> {
    const rows: unknown[] = await q.query(
      `SELECT 1 FROM members m WHERE m.user_id = $1 AND m.source_type = $2 AND m.source_id = $3 AND ${COUNTING_MEMBERSHIP_SQL} LIMIT 1`,
      [userId, sourceType, sourceId],
    );
    return rows.length > 0;
  }

  /**
   * Whether the user has a counting membership of the group, one of its ancestors, one of its descendant groups,
   * or a live project in it or its descendants (what makes a private group visible to a member).
   */
  async hasCountingMembershipAround(userId: number, groupId: number, q: Queryable = this.dataSource): Promise<boolean> {
    const rows: unknown[] = await q.query(
      `WITH RECURSIVE ${NamespaceTreeSql.ancestors('up', 'namespaces n WHERE n.id = $2')},
       ${NamespaceTreeSql.descendants('down', 'namespaces n WHERE n.id = $2')}
       SELECT 1 FROM members m WHERE m.user_id = $1 AND ${COUNTING_MEMBERSHIP_SQL} AND (
         (m.source_type = 'Namespace' AND (m.source_id IN (SELECT id FROM up) OR m.source_id IN (SELECT id FROM down))) OR
         (m.source_type = 'Project' AND m.source_id IN (${NamespaceTreeSql.liveProjectIdsIn('down')})))
       LIMIT 1`,
      [userId, groupId],
    );
    return rows.length > 0;
  }

  /**
   * Distinct active users with a counting membership at `minLevel` or above in the group or a descendant group,
   * and with `withProjects` also of the live projects in them.
   */
  async activeMemberCountInTree(
    groupId: number,
    opts: { minLevel?: number; withProjects: boolean },
    q: Queryable = this.dataSource,
  ): Promise<number> {
    const projects = opts.withProjects
      ? ` OR (m.source_type = 'Project' AND m.source_id IN (${NamespaceTreeSql.liveProjectIdsIn('tree')}))`
      : '';
    const rows: { count: string | number }[] = await q.query(
      `WITH RECURSIVE ${NamespaceTreeSql.descendants('tree', 'namespaces n WHERE n.id = $1')}
       SELECT count(DISTINCT m.user_id) AS count FROM members m JOIN users u ON u.id = m.user_id AND u.state = 'active'
       WHERE ${COUNTING_MEMBERSHIP_SQL} AND m.access_level >= $2 AND (
         (m.source_type = 'Namespace' AND m.source_id IN (SELECT id FROM tree))${projects})`,
      [groupId, opts.minLevel ?? 0],
    );
    return Number(rows[0]?.count ?? 0);
  }

  /** Active users who own the group directly (a counting membership at level 50). */
  async activeOwnerIds(groupId: number, q: Queryable = this.dataSource): Promise<number[]> {
    const rows: { user_id: string | number }[] = await q.query(
      `SELECT m.user_id FROM members m JOIN users u ON u.id = m.user_id AND u.state = 'active'
       WHERE m.source_type = 'Namespace' AND m.source_id = $1 AND m.access_level = 50 AND ${COUNTING_MEMBERSHIP_SQL}`,
      [groupId],
    );
    return rows.map((r) => Number(r.user_id));
  }

  /** One page of the group's active direct owners (membership order) and their total. */
  async activeOwnersPage(
    groupId: number,
    page: { perPage: number; offset: number },
    q: Queryable = this.dataSource,
  ): Promise<{ total: number; rows: OwnerRow[] }> {
    const where = `m.source_type = 'Namespace' AND m.source_id = $1 AND m.access_level = 50 AND u.state = 'active' AND ${COUNTING_MEMBERSHIP_SQL}`;
    const [{ count }]: { count: string }[] = await q.query(
      `SELECT count(*) AS count FROM members m JOIN users u ON u.id = m.user_id WHERE ${where}`,
      [groupId],
    );
    const rows: OwnerRow[] = await q.query(
      `SELECT u.id, u.username, u.name, m.access_level, u.notification_email, u.email
       FROM members m JOIN users u ON u.id = m.user_id WHERE ${where} ORDER BY m.id LIMIT $2 OFFSET $3`,
      [groupId, page.perPage, page.offset],
    );
    return { total: Number(count), rows };
  }

  /** Whether the user is a counting direct owner of the group, and whether someone else is too. */
  async directOwnership(
    groupId: number,
    userId: number,
    q: Queryable = this.dataSource,
  ): Promise<{ isOwner: boolean; otherOwner: boolean }> {
    const rows: { is_owner: boolean; other_owner: boolean }[] = await q.query(
      `SELECT
         EXISTS (SELECT 1 FROM members m WHERE m.source_type = 'Namespace' AND m.source_id = $1 AND m.user_id = $2 AND m.access_level = 50
                 AND ${COUNTING_MEMBERSHIP_SQL}) AS is_owner,
         EXISTS (SELECT 1 FROM members m WHERE m.source_type = 'Namespace' AND m.source_id = $1 AND m.user_id <> $2 AND m.access_level = 50
                 AND ${COUNTING_MEMBERSHIP_SQL}) AS other_owner`,
      [groupId, userId],
    );
    return { isOwner: Boolean(rows[0]?.is_owner), otherOwner: Boolean(rows[0]?.other_owner) };
  }

  /** Turns a membership (an access request, an awaiting or expired one) into a counting one at `level`. */
  async makeCounting(memberId: number, level: number, q: Queryable = this.dataSource): Promise<void> {
    await q.query(
      `UPDATE members SET access_level = $2, state = 0, requested_at = NULL, expires_at = NULL, updated_at = now() WHERE id = $1`,
      [memberId, level],
    );
  }

  /** Deletes the user's direct memberships of the group, its descendants and their projects; answers how many went. */
  async removeUserFromTree(userId: number, groupId: number, q: Queryable = this.dataSource): Promise<number> {
    const removed: { n: number }[] = await q.query(
      `WITH RECURSIVE ${NamespaceTreeSql.descendants('tree', 'namespaces n WHERE n.id = $1')},
       gone AS (
         DELETE FROM members WHERE user_id = $2 AND (
           (source_type = 'Namespace' AND source_id IN (SELECT id FROM tree)) OR
           (source_type = 'Project' AND source_id IN (SELECT p.id FROM projects p WHERE p.namespace_id IN (SELECT id FROM tree))))
         RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [groupId, userId],
    );
    return Number(removed[0]?.n ?? 0);
  }

  /** Deletes every membership of the given groups or projects. */
  async removeAllOf(sourceType: MemberSourceType, sourceIds: number[], q: Queryable = this.dataSource): Promise<void> {
    await q.query(`DELETE FROM members WHERE source_type = $1 AND source_id = ANY($2::bigint[])`, [sourceType, sourceIds]);
  }

  /** Deletes every membership of the user. */
  async removeAllOfUser(userId: number, q: Queryable = this.dataSource): Promise<void> {
    await q.query(`DELETE FROM members WHERE user_id = $1`, [userId]);
  }
}
