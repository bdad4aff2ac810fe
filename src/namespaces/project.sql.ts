import { NamespaceTreeSql } from './namespace-tree.repository';

/**
 * SQL over a project and its namespaces for the query that must read them together with another module's row in
 * one round trip: the `/allowed` hot path reads the project, its namespace, its root namespace and the instance
 * settings at once. This module writes the SQL over its tables; the caller composes it with the other owner's.
 */
export const ProjectSql = {
  /**
   * CTEs for `WITH RECURSIVE`: `p`, the live (not pending deletion) project matching `condition` (alias `p`, e.g.
   * `p.id = $1`), and `up`, its namespace and every ancestor.
   */
  liveProjectCtes(condition: string): string {
    return `p AS (SELECT * FROM projects p WHERE ${condition} AND p.pending_delete = false LIMIT 1),
       ${NamespaceTreeSql.ancestors('up', 'namespaces n JOIN p ON n.id = p.namespace_id', ['full_path', 'enabled_git_access_protocol'])}`;
  },

  /**
   * A subquery over the CTEs of {@link liveProjectCtes}: the project's columns with its namespace's (`namespace_*`)
   * and its root namespace's (`root_*`); no row when no live project matched.
   */
  liveProjectRow: `SELECT p.id, p.name, p.path, p.full_path, p.disk_path, p.namespace_id, p.visibility_level, p.repository_access_level,
  p.archived, p.repository_read_only, p.lfs_enabled, p.default_branch, p.repository_storage, p.printing_merge_request_link_enabled,
  p.creator_id, ns.type AS namespace_type, ns.full_path AS namespace_full_path, ns.owner_id AS namespace_owner_id,
  root.id AS root_namespace_id, root.full_path AS root_namespace_full_path, root.enabled_git_access_protocol AS root_enabled_git_access_protocol
  FROM p JOIN namespaces ns ON ns.id = p.namespace_id JOIN up root ON root.parent_id IS NULL`,

  /** Condition for {@link liveProjectCtes}: the project a redirect route at the path `param` (e.g. `$1`) points to, case-insensitively. */
  redirectedFrom(param: string): string {
    return `p.id = (SELECT r.source_id FROM redirect_routes r WHERE r.source_type = 'Project' AND lower(r.path) = lower(${param}) LIMIT 1)`;
  },
} as const;
