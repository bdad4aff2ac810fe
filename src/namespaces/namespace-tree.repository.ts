import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Queryable } from '../common/queryable';

/**
 * The recursive walks of the namespace tree, written once. The fragments are `WITH RECURSIVE` members for
 * queries that must stay one round trip (a hot path joining its own tables to the walk); everything else calls
 * the methods of {@link NamespaceTreeRepository}.
 */
export const NamespaceTreeSql = {
  /**
   * `name(id, parent_id, <columns>, depth)`: the namespaces selected by `seed` (a FROM clause whose namespace
   * alias is `n`, e.g. `namespaces n WHERE n.id = $1`) at depth 0, then each one's parent, grandparent … root.
   */
  ancestors(name: string, seed: string, columns: string[] = []): string {
    const extra = columns.map((c) => `, ${c}`).join('');
    const extraN = columns.map((c) => `, n.${c}`).join('');
    return `${name}(id, parent_id${extra}, depth) AS (
         SELECT n.id, n.parent_id${extraN}, 0 FROM ${seed}
         UNION ALL SELECT n.id, n.parent_id${extraN}, ${name}.depth + 1 FROM namespaces n JOIN ${name} ON n.id = ${name}.parent_id)`;
  },
  /** {@link ancestors} of the namespace whose id is the query parameter `idParam` (e.g. `$1`). */
  ancestorsOfId(name: string, idParam: string, columns: string[] = []): string {
    return NamespaceTreeSql.ancestors(name, `namespaces n WHERE n.id = ${idParam}`, columns);
  },
  /** `name(id)`: the namespaces selected by `seed` (as in {@link ancestors}) and all their descendants. */
  descendants(name: string, seed: string): string {
    return `${name}(id) AS (
         SELECT n.id FROM ${seed}
         UNION ALL SELECT n.id FROM namespaces n JOIN ${name} ON n.parent_id = ${name}.id)`;
  },
  /** Live (not pending deletion) projects whose namespace is in the CTE `tree` (a subquery of project ids). */
  liveProjectIdsIn(tree: string): string {
    return `SELECT p.id FROM projects p WHERE p.pending_delete = false AND p.namespace_id IN (SELECT id FROM ${tree})`;
  },
} as const;

export interface NamespaceNode {
  id: number;
  parent_id: number | null;
  full_path: string;
  type: 'User' | 'Group';
}

/** Questions about the namespace tree: ancestors, descendants, the root. */
@Injectable()
export class NamespaceTreeRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Ids of a namespace and all its ancestors, nearest first. */
  async ancestorIds(namespaceId: number, q: Queryable = this.dataSource): Promise<number[]> {
    const rows: { id: number }[] = await q.query(
      `WITH RECURSIVE ${NamespaceTreeSql.ancestorsOfId('up', '$1')} SELECT id FROM up ORDER BY depth`,
      [namespaceId],
    );
    return rows.map((r) => Number(r.id));
  }

  /** Ids of a namespace and all its descendants (the namespace first). */
  async descendantIds(namespaceId: number, q: Queryable = this.dataSource): Promise<number[]> {
    const rows: { id: number }[] = await q.query(
      `WITH RECURSIVE ${NamespaceTreeSql.descendants('down', 'namespaces n WHERE n.id = $1')} SELECT id FROM down`,
      [namespaceId],
    );
    return rows.map((r) => Number(r.id));
  }

  /** The root of a namespace's tree (the namespace itself when it has no parent); null for an unknown id. */
  async root(namespaceId: number, q: Queryable = this.dataSource): Promise<NamespaceNode | null> {
    const rows: NamespaceNode[] = await q.query(
      `WITH RECURSIVE ${NamespaceTreeSql.ancestorsOfId('up', '$1', ['full_path', 'type'])}
       SELECT id, parent_id, full_path, type FROM up WHERE parent_id IS NULL LIMIT 1`,
      [namespaceId],
    );
    return rows[0] ? { ...rows[0], id: Number(rows[0].id) } : null;
  }

  /** A namespace by full path (case-insensitive) with its owner and the full path of its root, in one query. */
  async findByPathWithRoot(
    fullPath: string,
    q: Queryable = this.dataSource,
  ): Promise<{ id: number; type: 'User' | 'Group'; full_path: string; owner_id: number | null; root_full_path: string } | null> {
    const rows = await q.query(
      `WITH RECURSIVE n0 AS (SELECT * FROM namespaces WHERE lower(full_path) = lower($1) LIMIT 1),
       ${NamespaceTreeSql.ancestors('up', 'n0 n', ['full_path'])}
       SELECT n0.id, n0.type, n0.full_path, n0.owner_id, (SELECT full_path FROM up WHERE parent_id IS NULL LIMIT 1) AS root_full_path FROM n0`,
      [fullPath],
    );
    return rows[0] ?? null;
  }

  /** Live projects among the given full paths (lower case) that lie under the root path: `[{id, path}]`, path lower case. */
  async liveProjectsByPathUnder(
    paths: string[],
    rootPath: string,
    q: Queryable = this.dataSource,
  ): Promise<{ id: number; path: string }[]> {
    return q.query(
      `SELECT id, lower(full_path) AS path FROM projects
       WHERE pending_delete = false AND lower(full_path) = ANY($1::text[]) AND left(lower(full_path), length($2) + 1) = lower($2) || '/'`,
      [paths, rootPath],
    );
  }

  /** Groups among the given full paths (lower case) that are the root path or lie under it: `[{id, path}]`, path lower case. */
  async groupsByPathWithin(paths: string[], rootPath: string, q: Queryable = this.dataSource): Promise<{ id: number; path: string }[]> {
    return q.query(
      `SELECT id, lower(full_path) AS path FROM namespaces
       WHERE type = 'Group' AND lower(full_path) = ANY($1::text[])
         AND (lower(full_path) = lower($2) OR left(lower(full_path), length($2) + 1) = lower($2) || '/')`,
      [paths, rootPath],
    );
  }

  /** Locks a namespace's row until the transaction `q` ends (concurrent changes of one namespace take turns). */
  async lock(namespaceId: number, q: Queryable): Promise<void> {
    await q.query('SELECT id FROM namespaces WHERE id = $1 FOR UPDATE', [namespaceId]);
  }

  /** Live projects (not pending deletion) in a namespace and its descendants. */
  async liveProjectCount(namespaceId: number, q: Queryable = this.dataSource): Promise<number> {
    const rows: { count: string | number }[] = await q.query(
      `WITH RECURSIVE ${NamespaceTreeSql.descendants('tree', 'namespaces n WHERE n.id = $1')}
       SELECT count(*) AS count FROM (${NamespaceTreeSql.liveProjectIdsIn('tree')}) x`,
      [namespaceId],
    );
    return Number(rows[0]?.count ?? 0);
  }
}
