import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { badRequest, notFound } from '../common/api-error';
import { uniqueViolation } from '../common/db-errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import { BillingNamespaces } from './billing-namespaces.service';
import { AdditionalPack } from './entities/additional-pack.entity';
import { Namespace } from '../namespaces/entities/namespace.entity';
import { PacksParamsDto } from './dto/purchases.dto';

interface PackInput {
  number_of_minutes: number | null;
  expires_at: string | null;
  purchase_xid: string | null;
}

const unableToSave = () => badRequest('Unable to save additional packs');

/** Compute-minute packs and their move. */
@Injectable()
export class ComputePacksService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly namespaces: BillingNamespaces,
  ) {}

  private render(p: AdditionalPack) {
    return {
      namespace_id: Number(p.namespace_id),
      expires_at: p.expires_at ?? null,
      number_of_minutes: Number(p.number_of_minutes),
      purchase_xid: p.purchase_xid,
    };
  }

  /** all packs or none; a `purchase_xid` already in this namespace is reused unchanged. */
  async create(ns: Namespace, { packs: inputs }: PacksParamsDto) {
    const run = (m: EntityManager) => this.savePacks(m, Number(ns.id), inputs);
    try {
      return await this.dataSource.transaction(run);
    } catch (err) {
      // a concurrent identical request inserted the same purchase_xid first: run again, now reusing its rows
      if (uniqueViolation(err) === null) throw err;
    }
    try {
      return await this.dataSource.transaction(run);
    } catch (err) {
      if (uniqueViolation(err) !== null) throw unableToSave();
      throw err;
    }
  }

  private async savePacks(m: EntityManager, namespaceId: number, inputs: PackInput[]) {
    const repo = m.getRepository(AdditionalPack);
    const out: ReturnType<ComputePacksService['render']>[] = [];
    for (const input of inputs) {
      const xid = input.purchase_xid;
      const existing = xid ? await repo.findOne({ where: { purchase_xid: xid } }) : null;
      if (existing) {
        if (Number(existing.namespace_id) !== namespaceId) throw unableToSave();
        out.push(this.render(existing));
        continue;
      }
      if (
        !xid ||
        !xid.trim() ||
        xid.length > 32 ||
        input.number_of_minutes === null ||
        (input.expires_at === null && this.config.gitlabSaas)
      ) {
        throw unableToSave();
      }
      const saved = await repo.save(
        repo.create({
          namespace_id: namespaceId,
          number_of_minutes: input.number_of_minutes,
          expires_at: input.expires_at,
          purchase_xid: xid,
        }),
      );
      out.push(this.render(saved));
    }
    return out;
  }

  /**
   * every pack of the source moves to the target, one transaction completed before the 202 is sent.
   * Each pack is one write; any failure rolls all of them back.
   */
  async move(id: string, targetId: string): Promise<void> {
    const source = await this.namespaces.findOrFail(id);
    const target = await this.namespaces.find(targetId);
    if (!target) throw notFound('Target namespace');
    if (!this.namespaces.isRoot(source)) throw badRequest('Namespace must be a top-level namespace');
    if (!this.namespaces.isRoot(target)) throw badRequest('Target namespace must be a top-level namespace');
    const [sourceOwners, targetOwners] = await Promise.all([this.namespaces.ownerIds(source), this.namespaces.ownerIds(target)]);
    if (!sourceOwners.some((o) => targetOwners.includes(o))) throw badRequest('Both namespaces must share the same owner');
    if (Number(source.id) === Number(target.id)) return;
    await this.dataSource.transaction(async (m) => {
      const packs = await m
        .getRepository(AdditionalPack)
        .find({ where: { namespace_id: source.id }, order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' } });
      for (const pack of packs) {
        await m.getRepository(AdditionalPack).update({ id: pack.id }, { namespace_id: Number(target.id) });
      }
    });
  }
}
