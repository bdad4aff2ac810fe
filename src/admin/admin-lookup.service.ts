import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { notFound } from '../common/api-error';
import { User } from '../identity/entities/user.entity';
import { Namespace } from '../namespaces/entities/namespace.entity';
import { Project } from '../namespaces/entities/project.entity';
import { numericId } from './admin-params';

/**
 * `:id` lookups of the admin routes: the numeric id or the URL-encoded full path / username,
 * matched case-insensitively; unknown → the resource's 404. Projects pending deletion do not exist.
 */
@Injectable()
export class AdminLookupService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async user(idOrUsername: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<User> {
    const id = numericId(idOrUsername);
    if (id === 'none') throw notFound('User');
    const qb = manager.getRepository(User).createQueryBuilder('u');
    if (id !== null) qb.where('u.id = :id', { id });
    else qb.where('lower(u.username) = lower(:n)', { n: idOrUsername });
    if (lock) qb.setLock('pessimistic_write');
    const user = await qb.getOne();
    if (!user) throw notFound('User');
    return user;
  }

  async userById(id: number, manager: EntityManager = this.dataSource.manager): Promise<User> {
    const user = await manager.getRepository(User).findOne({ where: { id } });
    if (!user) throw notFound('User');
    return user;
  }

  async group(idOrPath: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<Namespace> {
    const id = numericId(idOrPath);
    if (id === 'none') throw notFound('Group');
    const qb = manager.getRepository(Namespace).createQueryBuilder('n').where(`n.type = 'Group'`);
    if (id !== null) qb.andWhere('n.id = :id', { id });
    else qb.andWhere('lower(n.full_path) = lower(:p)', { p: idOrPath });
    if (lock) qb.setLock('pessimistic_write');
    const group = await qb.getOne();
    if (!group) throw notFound('Group');
    return group;
  }

  /** Any namespace (user or group) by id or full path; unknown → `404 Namespace Not Found`. */
  async namespace(idOrPath: string | number, manager: EntityManager = this.dataSource.manager): Promise<Namespace> {
    const id = typeof idOrPath === 'number' ? idOrPath : numericId(idOrPath);
    if (id === 'none') throw notFound('Namespace');
    const qb = manager.getRepository(Namespace).createQueryBuilder('n');
    if (id !== null) qb.where('n.id = :id', { id });
    else qb.where('lower(n.full_path) = lower(:p)', { p: idOrPath });
    const ns = await qb.getOne();
    if (!ns) throw notFound('Namespace');
    return ns;
  }

  async project(idOrPath: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<Project> {
    const id = numericId(idOrPath);
    if (id === 'none') throw notFound('Project');
    const qb = manager.getRepository(Project).createQueryBuilder('p').where('p.pending_delete = false');
    if (id !== null) qb.andWhere('p.id = :id', { id });
    else qb.andWhere('lower(p.full_path) = lower(:p)', { p: idOrPath });
    if (lock) qb.setLock('pessimistic_write');
    const project = await qb.getOne();
    if (!project) throw notFound('Project');
    project.namespace = (await manager.getRepository(Namespace).findOne({ where: { id: project.namespace_id } })) ?? undefined;
    return project;
  }
}
