import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { badRequest, forbidden, modelError } from '../common/api-error';
import { uniqueViolation } from '../common/db-errors';
import { Paginated, pageRequest } from '../common/pagination';
import { RawParams } from '../common/params.decorator';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Namespace } from '../namespaces/entities/namespace.entity';
import { BillingNamespaces } from './billing-namespaces.service';
import { StorageLimitExclusion } from './entities/storage-limit-exclusion.entity';
import { ParamReader } from './params/reader';

/** Storage limit exclusions of the GitLab.com admin area. */
@Injectable()
export class StorageExclusionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly namespaces: BillingNamespaces,
  ) {}

  /** Runs after authentication (the guard), before anything else. */
  private gitlabComOnly(): void {
    if (!this.config.gitlabSaas) throw forbidden('this API is for GitLab.com only');
  }

  private render(e: StorageLimitExclusion, ns: Pick<Namespace, 'name'>) {
    return { id: Number(e.id), namespace_id: Number(e.namespace_id), namespace_name: ns.name, reason: e.reason };
  }

  async list(params: RawParams): Promise<Paginated<unknown>> {
    this.gitlabComOnly();
    const page = pageRequest(params);
    const [rows, total] = await this.dataSource
      .getRepository(StorageLimitExclusion)
      .findAndCount({ relations: { namespace: true }, order: { id: 'ASC' }, skip: page.offset, take: page.perPage });
    return new Paginated(
      rows.map((e) => this.render(e, e.namespace as Namespace)),
      page,
      total,
    );
  }

  async create(id: string, params: RawParams) {
    this.gitlabComOnly();
    const ns = await this.namespaces.findOrFail(id);
    const r = new ParamReader(params);
    const reason = r.string('reason', { required: true });
    r.check();
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
    this.gitlabComOnly();
    const ns = await this.namespaces.findOrFail(id);
    if (!this.namespaces.isRoot(ns)) throw badRequest('must use a root namespace');
    const result = await this.dataSource.getRepository(StorageLimitExclusion).delete({ namespace_id: ns.id });
    if (!result.affected) throw badRequest('not excluded');
  }
}
