import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { badRequest, modelError } from '../common/api-error';
import { uniqueViolation } from '../common/db-errors';
import { PageRequest, Paginated } from '../common/pagination';
import { Namespace } from '../namespaces/entities/namespace.entity';
import { BillingNamespaces } from './billing-namespaces.service';
import { StorageLimitExclusion } from './entities/storage-limit-exclusion.entity';
import { StorageExclusionParamsDto } from './dto/purchases.dto';

/** Storage limit exclusions of the GitLab.com admin area. */
@Injectable()
export class StorageExclusionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly namespaces: BillingNamespaces,
  ) {}

  private render(e: StorageLimitExclusion, ns: Pick<Namespace, 'name'>) {
    return { id: Number(e.id), namespace_id: Number(e.namespace_id), namespace_name: ns.name, reason: e.reason };
  }

  async list(page: PageRequest): Promise<Paginated<unknown>> {
    const [rows, total] = await this.dataSource
      .getRepository(StorageLimitExclusion)
      .findAndCount({ relations: { namespace: true }, order: { id: 'ASC' }, skip: page.offset, take: page.perPage });
    return new Paginated(
      rows.map((e) => this.render(e, e.namespace as Namespace)),
      page,
      total,
    );
  }

  async create(ns: Namespace, { reason }: StorageExclusionParamsDto) {
    if (!this.namespaces.isRoot(ns)) throw badRequest('must use a root namespace');
    try {
      return await this.dataSource.transaction(async (m) => {
        const repo = m.getRepository(StorageLimitExclusion);
        if (await repo.exists({ where: { namespace_id: ns.id } })) throw badRequest('already excluded');
        if (reason === null || reason === undefined || reason.trim() === '') throw modelError({ reason: ["can't be blank"] });
        if (reason.length > 255) throw modelError({ reason: ['is too long (maximum is 255 characters)'] });
        const saved = await repo.save(repo.create({ namespace_id: Number(ns.id), reason }));
        return this.render(saved, ns);
      });
    } catch (err) {
      if (uniqueViolation(err) !== null) throw badRequest('already excluded');
      throw err;
    }
  }

  async remove(id: string): Promise<void> {
    const ns = await this.namespaces.findOrFail(id);
    if (!this.namespaces.isRoot(ns)) throw badRequest('must use a root namespace');
    const result = await this.dataSource.getRepository(StorageLimitExclusion).delete({ namespace_id: ns.id });
    if (!result.affected) throw badRequest('not excluded');
  }
}
