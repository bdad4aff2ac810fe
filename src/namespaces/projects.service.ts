import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Queryable } from '../common/queryable';
import { APP_CONFIG, AppConfig } from '../config/config';
import { modelError } from '../common/api-error';
import { uniqueViolation } from '../common/db-errors';
import { projectPathError } from '../common/path-format';
import { hashedDiskPath } from './hashed-storage';
import { Namespace } from './entities/namespace.entity';
import { fullPathTaken, releaseRedirectRoutes } from './paths';
import { Project } from './entities/project.entity';

export interface CreateProjectInput {
  namespace: Namespace;
  name: string;
  path: string;
  visibilityLevel?: number;
  repositoryAccessLevel?: number;
  defaultBranch?: string | null;
  archived?: boolean;
  repositoryReadOnly?: boolean;
  lfsEnabled?: boolean;
  printingMergeRequestLinkEnabled?: boolean;
  repositoryStorage?: string;
  creatorId?: number | null;
}

@Injectable()
export class ProjectsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Inserts a project and writes its hashed `disk_path` in the same transaction once the id is known. */
  async create(input: CreateProjectInput, manager?: EntityManager): Promise<Project> {
    const pathError = projectPathError(input.path);
    if (pathError) throw modelError({ path: [pathError] });
    const fullPath = `${input.namespace.full_path}/${input.path}`;
    const run = async (m: EntityManager) => {
      if (await fullPathTaken(m, fullPath)) throw modelError({ path: ['has already been taken'] });
      await releaseRedirectRoutes(m, fullPath);
      const repo = m.getRepository(Project);
      const project = await repo.save(
        repo.create({
          namespace_id: input.namespace.id,
          name: input.name,
          path: input.path,
          full_path: fullPath,
          disk_path: `pending/${randomUUID()}`,
          visibility_level: input.visibilityLevel ?? 0,
          repository_access_level: input.repositoryAccessLevel ?? 20,
          archived: input.archived ?? false,
          repository_read_only: input.repositoryReadOnly ?? false,
          lfs_enabled: input.lfsEnabled ?? true,
          default_branch: input.defaultBranch ?? null,
          repository_storage: input.repositoryStorage ?? this.config.defaultRepositoryStorage,
          printing_merge_request_link_enabled: input.printingMergeRequestLinkEnabled ?? true,
          pending_delete: false,
          creator_id: input.creatorId ?? null,
        }),
      );
      project.disk_path = hashedDiskPath(project.id);
      await repo.update(project.id, { disk_path: project.disk_path });
      return project;
    };
    try {
      return manager ? await run(manager) : await this.dataSource.transaction(run);
    } catch (err) {
      if (uniqueViolation(err) !== null) throw modelError({ path: ['has already been taken'] });
      throw err;
    }
  }

  /** Deletes project rows (their memberships and redirect routes are the caller's to remove first). */
  async deleteRows(ids: number[], q: Queryable = this.dataSource): Promise<void> {
    if (ids.length) await q.query(`DELETE FROM projects WHERE id = ANY($1::bigint[])`, [ids]);
  }

  /** Which of these project ids are live projects (not pending deletion). */
  async liveIds(ids: number[], q: Queryable = this.dataSource): Promise<Set<number>> {
    if (!ids.length) return new Set();
    const rows: { id: number }[] = await q.query(`SELECT id FROM projects WHERE id = ANY($1::bigint[]) AND pending_delete = false`, [ids]);
    return new Set(rows.map((r) => Number(r.id)));
  }

  /** Whether a project pending deletion still holds this full path (case-insensitive). */
  async pendingDeletionHolds(fullPath: string, q: Queryable = this.dataSource): Promise<boolean> {
    const rows: unknown[] = await q.query(`SELECT 1 FROM projects WHERE lower(full_path) = lower($1) AND pending_delete = true LIMIT 1`, [
      fullPath,
    ]);
    return rows.length > 0;
  }

  /**
   * Gives a project without a default branch this one; answers the default branch now in force (a concurrent
   * push may have set it first).
   */
  async setDefaultBranchIfUnset(projectId: number, branch: string, q: Queryable = this.dataSource): Promise<string | null> {
    await q.query(`UPDATE projects SET default_branch = $2 WHERE id = $1 AND default_branch IS NULL`, [projectId, branch]);
    const rows: { default_branch: string | null }[] = await q.query(`SELECT default_branch FROM projects WHERE id = $1`, [projectId]);
    return rows[0]?.default_branch ?? null;
  }

  /** A live (not pending deletion) project by numeric id or full path (case-insensitive). */
  async find(idOrPath: string | number, manager: EntityManager = this.dataSource.manager): Promise<Project | null> {
    const qb = manager
      .getRepository(Project)
      .createQueryBuilder('p')
      .leftJoinAndSelect('p.namespace', 'n')
      .where('p.pending_delete = false');
    if (typeof idOrPath === 'number' || /^\d+$/.test(idOrPath)) qb.andWhere('p.id = :id', { id: Number(idOrPath) });
    else qb.andWhere('lower(p.full_path) = lower(:p)', { p: idOrPath });
    return qb.getOne();
  }
}
