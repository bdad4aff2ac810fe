import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/**
 * SQL condition of a membership that counts (alias `m`): active, not an access request, and not expired — an
 * `expires_at` of today (UTC) has expired; only null or a later date counts.
 */
export const COUNTING_MEMBERSHIP_SQL =
  `m.state = 0 AND m.requested_at IS NULL AND (m.expires_at IS NULL OR m.expires_at > (now() AT TIME ZONE 'UTC')::date)`;

/** Max access levels L(user, project) and L(user, group), one query each. */
@Injectable()
export class AccessService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** L(user, project): 50 in the user's personal namespace, else the highest counting membership of the project and its groups. */
  async projectAccessLevel(userId: number, projectId: number, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const rows: { level: number | null }[] = await manager.query(
      `WITH RECURSIVE p AS (SELECT id, namespace_id FROM projects WHERE id = $2),
       up(id, parent_id, type, owner_id) AS (
         SELECT n.id, n.parent_id, n.type, n.owner_id FROM namespaces n JOIN p ON n.id = p.namespace_id
         UNION ALL SELECT n.id, n.parent_id, n.type, n.owner_id FROM namespaces n JOIN up ON n.id = up.parent_id)
       SELECT GREATEST(
         (SELECT CASE WHEN EXISTS (SELECT 1 FROM up WHERE up.type = 'User' AND up.owner_id = $1) THEN 50 ELSE 0 END),
         (SELECT max(m.access_level) FROM members m WHERE m.user_id = $1 AND ${COUNTING_MEMBERSHIP_SQL} AND (
            (m.source_type = 'Project' AND m.source_id = $2) OR (m.source_type = 'Namespace' AND m.source_id IN (SELECT id FROM up))))
       ) AS level`,
      [userId, projectId],
    );
    return Number(rows[0]?.level ?? 0);
  }

  /** L(user, group): the highest counting membership of the group and its ancestors. */
  async groupAccessLevel(userId: number, groupId: number, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const rows: { level: number | null }[] = await manager.query(
      `WITH RECURSIVE up(id, parent_id) AS (
         SELECT id, parent_id FROM namespaces WHERE id = $2
         UNION ALL SELECT n.id, n.parent_id FROM namespaces n JOIN up ON n.id = up.parent_id)
       SELECT max(m.access_level) AS level FROM members m
       WHERE m.user_id = $1 AND m.source_type = 'Namespace' AND m.source_id IN (SELECT id FROM up) AND ${COUNTING_MEMBERSHIP_SQL}`,
      [userId, groupId],
    );
    return Number(rows[0]?.level ?? 0);
  }
}
