import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { ApiError, notFound, paramError } from '../common/api-error';
import { Namespace } from '../namespaces/entities/namespace.entity';
import { BillingNamespaces } from './billing-namespaces.service';
import { UpcomingReconciliation } from './entities/upcoming-reconciliation.entity';
import { ReconciliationDeleteParamsDto, ReconciliationParamsDto, ReconciliationsParamsDto } from './dto/reconciliations.dto';

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
  async bulkUpsert({ upcoming_reconciliations: rows }: ReconciliationsParamsDto): Promise<number> {
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
  async bulkDelete({ namespace_id: namespaceId }: ReconciliationDeleteParamsDto): Promise<void> {
    const result = await this.dataSource.getRepository(UpcomingReconciliation).delete({ namespace_id: namespaceId });
    if (!result.affected) throw notFound();
  }

  /** The namespace `:namespace_id` of the path: digits only (else 400 `namespace_id is invalid`), 404 when unknown. */
  async namespace(namespaceId: string): Promise<Namespace> {
    const text = String(namespaceId).trim();
    if (!/^-?\d+$/.test(text)) throw paramError('namespace_id is invalid');
    return this.namespaces.findOrFail(text);
  }

  /** New PUT: flat body, or a one-element `upcoming_reconciliations` array. */
  async put(ns: Namespace, input: ReconciliationParamsDto): Promise<number> {
    const row = {
      namespace_id: Number(ns.id),
      next_reconciliation_date: input.next_reconciliation_date,
      display_alert_from: input.display_alert_from,
    };
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
