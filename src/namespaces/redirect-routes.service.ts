import { releaseRedirectRoutes } from './paths';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { modelError } from '../common/api-error';
import { Namespace } from './entities/namespace.entity';
import { Project } from './entities/project.entity';

/** Length of `namespaces.full_path` / `projects.full_path`. */
export const MAX_FULL_PATH = 1024;

/**
 * Renames and their redirect routes. Every method runs on the caller's transaction manager.
 * Prefix matches use `left(lower(x), n) = …` rather than LIKE, because `_` is a valid path character.
 */
@Injectable()
export class RedirectRoutesService {
  /** Deletes the redirect routes at `fullPath` and below it (a namespace or project now lives there). */
  release(m: EntityManager, fullPath: string): Promise<void> {
    return releaseRedirectRoutes(m, fullPath);
  }

  /** Inserts (or re-points) the redirect route of an old full path. */
  async remember(m: EntityManager, sourceType: 'Project' | 'Namespace', sourceId: number, oldPath: string): Promise<void> {
    await m.query(
      `INSERT INTO redirect_routes (source_type, source_id, path) VALUES ($1, $2, $3)
       ON CONFLICT ((lower(path))) DO UPDATE SET source_type = EXCLUDED.source_type, source_id = EXCLUDED.source_id, path = EXCLUDED.path, updated_at = now()`,
      [sourceType, sourceId, oldPath],
    );
  }

  /** Deletes the redirect routes of deleted sources. */
  async forget(m: EntityManager, sourceType: 'Project' | 'Namespace', ids: number[]): Promise<void> {
    if (!ids.length) return;
    await m.query(`DELETE FROM redirect_routes WHERE source_type = $1 AND source_id = ANY($2::bigint[])`, [sourceType, ids]);
  }

  /** Whether a full path is used by another namespace or project than the one named (case-insensitive). */
  async taken(m: EntityManager, fullPath: string, except: { type: 'Project' | 'Namespace'; id: number }): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `SELECT 1 FROM namespaces WHERE lower(full_path) = lower($1) AND NOT ($2 = 'Namespace' AND id = $3)
       UNION ALL SELECT 1 FROM projects WHERE lower(full_path) = lower($1) AND NOT ($2 = 'Project' AND id = $3) LIMIT 1`,
      [fullPath, except.type, except.id],
    );
    return rows.length > 0;
  }

  /**
   * Renames a namespace's last path segment: its full path and those of every namespace and project below it
   * change, each old full path becomes a redirect route (a change of letter case alone is not a redirect).
   * A taken target answers `{"message":{"path":["has already been taken"]}}` (`attribute` names the field).
   */
  async renameNamespace(m: EntityManager, ns: Namespace, newPath: string, attribute = 'path'): Promise<void> {
    const oldFull = ns.full_path;
    const parentPrefix = oldFull.slice(0, oldFull.length - ns.path.length);
    const newFull = `${parentPrefix}${newPath}`;
    if (newFull === oldFull) return;
    if (await this.taken(m, newFull, { type: 'Namespace', id: ns.id })) throw modelError({ [attribute]: ['has already been taken'] });
    const longest: { n: number | null }[] = await m.query(
      `SELECT max(length(full_path)) AS n FROM (SELECT full_path FROM namespaces WHERE left(lower(full_path), length($1) + 1) = lower($1) || '/'
       UNION ALL SELECT full_path FROM projects WHERE left(lower(full_path), length($1) + 1) = lower($1) || '/') x`,
      [oldFull],
    );
    if (Math.max(newFull.length, Number(longest[0]?.n ?? 0) - oldFull.length + newFull.length) > MAX_FULL_PATH)
      throw modelError({ [attribute]: [`is too long (maximum is ${MAX_FULL_PATH} characters)`] });
    const caseOnly = newFull.toLowerCase() === oldFull.toLowerCase();
    const below = `left(lower(full_path), length($1) + 1) = lower($1) || '/'`;
    if (!caseOnly) {
      const namespaces: { id: string; full_path: string }[] = await m.query(`SELECT id, full_path FROM namespaces WHERE id = $2 OR ${below}`, [oldFull, ns.id]);
      const projects: { id: string; full_path: string }[] = await m.query(`SELECT id, full_path FROM projects WHERE ${below}`, [oldFull]);
      await this.release(m, newFull);
      for (const n of namespaces) await this.remember(m, 'Namespace', Number(n.id), n.full_path);
      for (const p of projects) await this.remember(m, 'Project', Number(p.id), p.full_path);
    }
    await m.query(`UPDATE namespaces SET full_path = $2 || substr(full_path, length($1) + 1), updated_at = now() WHERE ${below}`, [oldFull, newFull]);
    await m.query(`UPDATE projects SET full_path = $2 || substr(full_path, length($1) + 1), updated_at = now() WHERE ${below}`, [oldFull, newFull]);
    await m.query(`UPDATE namespaces SET path = $2, full_path = $3, updated_at = now() WHERE id = $1`, [ns.id, newPath, newFull]);
    ns.path = newPath;
    ns.full_path = newFull;
  }

  /** Renames a project's path; its old full path becomes a redirect route. */
  async renameProject(m: EntityManager, project: Project, newPath: string): Promise<void> {
    const oldFull = project.full_path;
    const newFull = `${oldFull.slice(0, oldFull.length - project.path.length)}${newPath}`;
    if (newFull === oldFull) return;
    if (await this.taken(m, newFull, { type: 'Project', id: project.id })) throw modelError({ path: ['has already been taken'] });
    if (newFull.length > MAX_FULL_PATH) throw modelError({ path: [`is too long (maximum is ${MAX_FULL_PATH} characters)`] });
    if (newFull.toLowerCase() !== oldFull.toLowerCase()) {
      await this.release(m, newFull);
      await this.remember(m, 'Project', project.id, oldFull);
    }
    await m.query(`UPDATE projects SET path = $2, full_path = $3, updated_at = now() WHERE id = $1`, [project.id, newPath, newFull]);
    project.path = newPath;
    project.full_path = newFull;
  }
}
