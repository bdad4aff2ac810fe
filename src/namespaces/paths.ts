import { EntityManager } from 'typeorm';

/** Namespaces and projects share one space of full paths, compared case-insensitively. */
export async function fullPathTaken(manager: EntityManager, fullPath: string): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `SELECT 1 FROM namespaces WHERE lower(full_path) = lower($1)
     UNION ALL SELECT 1 FROM projects WHERE lower(full_path) = lower($1) LIMIT 1`,
    [fullPath],
  );
  return rows.length > 0;
}

/**
 * A namespace or project created at (or renamed to) `fullPath` takes that path back from redirect routes: those
 * whose path is `fullPath` or below it are deleted.
 */
export async function releaseRedirectRoutes(manager: EntityManager, fullPath: string): Promise<void> {
  await manager.query(
    `DELETE FROM redirect_routes WHERE lower(path) = lower($1) OR left(lower(path), length($1) + 1) = lower($1) || '/'`,
    [fullPath],
  );
}
