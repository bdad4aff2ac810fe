import { EntityManager } from 'typeorm';

/** Namespaces and projects share one space of full paths (shell.md §5.3), compared case-insensitively. */
export async function fullPathTaken(manager: EntityManager, fullPath: string): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `SELECT 1 FROM namespaces WHERE lower(full_path) = lower($1)
     UNION ALL SELECT 1 FROM projects WHERE lower(full_path) = lower($1) LIMIT 1`,
    [fullPath],
  );
  return rows.length > 0;
}
