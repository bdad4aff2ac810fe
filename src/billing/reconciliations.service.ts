import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { ApiError, notFound, paramError } from '../common/api-error';
import { RawParams } from '../common/params.decorator';
import { Namespace } from '../namespaces/entities/namespace.entity';
import { BillingNamespaces } from './billing-namespaces.service';
import { UpcomingReconciliation } from './entities/upcoming-reconciliation.entity';
import { ParamReader } from './params/reader';

interface ReconciliationInput {
  namespace_id: number;
  next_reconciliation_date: string | null;
  display_alert_from: string | null;
}

const errorBody = (error: string) => new ApiError(400, { message: { error } });

/** Upcoming reconciliations, old and new API. The GitLab.com check is a guard. */
@Injectable()
export class ReconciliationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly namespaces: BillingNamespaces,
  ) {}

  /** Reads an Integer that must be neither absent nor null/empty (`is missing`, `is empty`, `is invalid`). */
  private requiredInteger(r: ParamReader, key: string): number | undefined {
    if (!r.has(key)) {
      r.fail(`${r.label(key)} is missing`);
      return undefined;
    }
    const raw = r.params[key];
    if (raw === null || (typeof raw === 'string' && raw.trim() === '')) {
      r.fail(`${r.label(key)} is empty`);
      return undefined;
    }
    return r.int(key, { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }) ?? undefined;
  }

  private async upsert(rows: ReconciliationInput[]): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(UpcomingReconciliation);
      for (const row of rows) {
        const existing = await repo.findOne({ where: { namespace_id: row.namespace_id }, lock: { mode: 'pessimistic_write' } });
        if (existing) {
          existing.next_reconciliation_date = row.next_reconciliation_date as string;
          existing.display_alert_from = row.display_alert_from as string;
          await repo.save(existing);
        } else {
          await m.query(
            `INSERT INTO upcoming_reconciliations (namespace_id, next_reconciliation_date, display_alert_from) VALUES ($1, $2, $3)
             ON CONFLICT (namespace_id) DO UPDATE SET next_reconciliation_date = EXCLUDED.next_reconciliation_date,
               display_alert_from = EXCLUDED.display_alert_from, updated_at = now()`,
            [row.namespace_id, row.next_reconciliation_date, row.display_alert_from],
          );
        }
      }
    });
  }

  private blankErrors(row: Pick<ReconciliationInput, 'next_reconciliation_date' | 'display_alert_from'>): string[] {
    const errors: string[] = [];
    if (row.next_reconciliation_date === null) errors.push("Next reconciliation date can't be blank");
    if (row.display_alert_from === null) errors.push("Display alert from can't be blank");
    return errors;
  }

  /** Old bulk PUT: all or nothing. */
  async bulkUpsert(params: RawParams): Promise<number> {
    const r = new ParamReader(params);
    const elements = r.hashes('upcoming_reconciliations', { required: true, indexed: false });
    const inputs: (ReconciliationInput | null)[] = [];
    for (const e of elements ?? []) {
      const namespaceId = this.requiredInteger(e, 'namespace_id');
      const next = e.date('next_reconciliation_date', { required: true });
      const alert = e.date('display_alert_from', { required: true });
      inputs.push(
        namespaceId === undefined
          ? null
          : { namespace_id: namespaceId, next_reconciliation_date: next ?? null, display_alert_from: alert ?? null },
      );
    }
    if (elements === null) r.fail('upcoming_reconciliations is invalid');
    r.check();
    const rows = inputs as ReconciliationInput[];
    const ids = [...new Set(rows.map((x) => x.namespace_id).filter((id) => id > 0))];
    const found = ids.length ? await this.dataSource.getRepository(Namespace).find({ select: { id: true }, where: { id: In(ids) } }) : [];
    const existing = new Set(found.map((n) => Number(n.id)));
    const failures: Record<string, string[]>[] = [];
    for (const row of rows) {
      const errors = [...(existing.has(row.namespace_id) ? [] : ["Namespace can't be blank"]), ...this.blankErrors(row)];
      if (errors.length) failures.push({ [String(row.namespace_id)]: errors });
    }
    if (failures.length) throw errorBody(JSON.stringify(failures));
    await this.upsert(rows);
    return 200;
  }

  /** Old DELETE `?namespace_id=`. */
  async bulkDelete(params: RawParams): Promise<void> {
    const r = new ParamReader(params);
    const namespaceId = this.requiredInteger(r, 'namespace_id');
    r.check();
    const result = await this.dataSource.getRepository(UpcomingReconciliation).delete({ namespace_id: namespaceId as number });
    if (!result.affected) throw notFound();
  }

  private async namespace(namespaceId: string): Promise<Namespace> {
    const text = String(namespaceId).trim();
    if (!/^-?\d+$/.test(text)) throw paramError('namespace_id is invalid');
    return this.namespaces.findOrFail(text);
  }

  /** New PUT: flat body, or a one-element `upcoming_reconciliations` array. */
  async put(namespaceId: string, params: RawParams): Promise<number> {
    const ns = await this.namespace(namespaceId);
    let source = params;
    const list = params.upcoming_reconciliations;
    if (
      !('next_reconciliation_date' in params) &&
      !('display_alert_from' in params) &&
      Array.isArray(list) &&
      list.length === 1 &&
      list[0] &&
      typeof list[0] === 'object' &&
      !Array.isArray(list[0])
    ) {
      source = list[0] as RawParams;
    }
    const r = new ParamReader(source);
    const next = r.date('next_reconciliation_date', { required: true });
    const alert = r.date('display_alert_from', { required: true });
    r.check();
    const row = { namespace_id: Number(ns.id), next_reconciliation_date: next ?? null, display_alert_from: alert ?? null };
    const errors = this.blankErrors(row);
    if (errors.length) throw errorBody(errors.join(', '));
    await this.upsert([row]);
    return 200;
  }

  /** New DELETE. */
  async delete(namespaceId: string): Promise<void> {
    const ns = await this.namespace(namespaceId);
    const result = await this.dataSource.getRepository(UpcomingReconciliation).delete({ namespace_id: ns.id });
    if (!result.affected) throw notFound();
  }
}
