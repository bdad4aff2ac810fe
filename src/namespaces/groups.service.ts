import { Injectable } from '@nestjs/common';
import { Queryable } from '../common/queryable';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { modelError, notFound } from '../common/api-error';
import { uniqueViolation } from '../common/db-errors';
import { isValidNamespacePath, NAMESPACE_PATH_ERROR } from '../common/path-format';
import { Namespace } from './entities/namespace.entity';
import { Project } from './entities/project.entity';
import { fullPathTaken, releaseRedirectRoutes } from './paths';

export interface CreateGroupInput {
  name: string;
  path: string;
  parentId?: number | null;
  visibilityLevel?: number;
  enabledGitAccessProtocol?: 'all' | 'ssh' | 'http' | null;
}

@Injectable()
export class GroupsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(input: CreateGroupInput, manager?: EntityManager): Promise<Namespace> {
    if (!isValidNamespacePath(input.path)) throw modelError({ path: [NAMESPACE_PATH_ERROR] });
    const run = async (m: EntityManager) => {
      let fullPath = input.path;
      if (input.parentId !== undefined && input.parentId !== null) {
        const parent = await m.getRepository(Namespace).findOne({ where: { id: input.parentId, type: 'Group' } });
        if (!parent) throw notFound('Group');
        fullPath = `${parent.full_path}/${input.path}`;
      }
      if (await fullPathTaken(m, fullPath)) throw modelError({ path: ['has already been taken'] });
      await releaseRedirectRoutes(m, fullPath);
      return m.getRepository(Namespace).save({
        type: 'Group',
        name: input.name,
        path: input.path,
        full_path: fullPath,
        parent_id: input.parentId ?? null,
        owner_id: null,
        visibility_level: input.visibilityLevel ?? 0,
        enabled_git_access_protocol: input.enabledGitAccessProtocol ?? null,
      });
    };
    try {
      return manager ? await run(manager) : await this.dataSource.transaction(run);
    } catch (err) {
      if (uniqueViolation(err) !== null) throw modelError({ path: ['has already been taken'] });
      throw err;
    }
  }

  /** A group by numeric id or full path (case-insensitive). */
  async find(idOrPath: string | number, manager: EntityManager = this.dataSource.manager): Promise<Namespace | null> {
    const qb = manager.getRepository(Namespace).createQueryBuilder('n').where(`n.type = 'Group'`);
    if (typeof idOrPath === 'number' || /^\d+$/.test(idOrPath)) qb.andWhere('n.id = :id', { id: Number(idOrPath) });
    else qb.andWhere('lower(n.full_path) = lower(:p)', { p: idOrPath });
    return qb.getOne();
  }

  /** Deletes a namespace row (the caller first removes the projects, memberships and routes that must go with it). */
  async deleteRow(namespaceId: number, q: Queryable = this.dataSource): Promise<void> {
    await q.query(`DELETE FROM namespaces WHERE id = $1`, [namespaceId]);
  }

  /** Projects under a namespace and its descendants. */
  projectsCount(namespaceId: number, manager: EntityManager = this.dataSource.manager): Promise<number> {
    return manager.getRepository(Project).count({ where: { namespace_id: namespaceId } });
  }
}
