import { Type } from 'class-transformer';
import { Hash, HashArray, Integer, isHash, ParamDefaults, Requires } from '../../common/params';
import { DateParam } from '../params/dates';

@ParamDefaults({ null: 'value' })
export class ReconciliationParamsDto {
  @Requires(DateParam, { api: { example: '2021-06-13' } }) next_reconciliation_date: string | null;
  @Requires(DateParam, { api: { example: '2021-06-06' } }) display_alert_from: string | null;
}

@ParamDefaults({ null: 'value' })
export class ReconciliationElementDto {
  @Requires(Integer(), { null: 'empty' }) namespace_id: number;
  @Requires(DateParam, { api: { example: '2021-06-13' } }) next_reconciliation_date: string | null;
  @Requires(DateParam, { api: { example: '2021-06-06' } }) display_alert_from: string | null;
}

export class ReconciliationsParamsDto {
  @Requires(HashArray({ badElement: 'whole', indexed: false, formIndexed: true }), { null: 'invalid' })
  @Type(() => ReconciliationElementDto)
  upcoming_reconciliations: ReconciliationElementDto[];
}

/** `?namespace_id=` of the old bulk DELETE. */
export class ReconciliationDeleteParamsDto {
  @Requires(Integer(), { null: 'empty' }) namespace_id: number;
}

/**
 * The new PUT takes a flat body, or (as the old bulk route) a one-element `upcoming_reconciliations` array: the
 * hash whose parameters are read.
 */
export function singleReconciliation(params: Hash): Hash {
  const list = params.upcoming_reconciliations;
  const flat = 'next_reconciliation_date' in params || 'display_alert_from' in params;
  return !flat && Array.isArray(list) && list.length === 1 && isHash(list[0]) ? list[0] : params;
}
