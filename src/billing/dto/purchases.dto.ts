import { Type } from 'class-transformer';
import { Bool, HashArray, Int32, Optional, ParamDefaults, Requires, Str } from '../../common/params';
import { DateParam } from '../params/dates';

/** Changes to an add-on purchase (`PUT`). */
@ParamDefaults({ null: 'value' })
export class AddOnPurchaseParamsDto {
  @Requires(DateParam, { api: { example: '2024-01-01' } }) started_on: string | null;
  @Requires(DateParam, { api: { example: '2025-01-01' } }) expires_on: string | null;
  @Optional(Int32) quantity?: number | null;
  @Optional(Str) purchase_xid?: string | null;
  @Optional(Bool) trial?: boolean | null;
}

/** A new add-on purchase (`POST`). */
@ParamDefaults({ null: 'value' })
export class NewAddOnPurchaseParamsDto {
  @Requires(Int32, { api: { example: 10 } }) quantity: number | null;
  @Requires(DateParam, { api: { example: '2024-01-01' } }) started_on: string | null;
  @Requires(DateParam, { api: { example: '2025-01-01' } }) expires_on: string | null;
  @Requires(Str) purchase_xid: string | null;
  @Optional(Bool) trial?: boolean | null;
}

@ParamDefaults({ null: 'value' })
export class StorageExclusionParamsDto {
  @Requires(Str, { api: { example: 'for testing reasons' } }) reason: string | null;
}

@ParamDefaults({ null: 'value' })
export class PackParamsDto {
  @Requires(Int32, { api: { example: 10000 } }) number_of_minutes: number | null;
  @Requires(DateParam, { api: { example: '2025-01-01' } }) expires_at: string | null;
  @Requires(Str, { api: { example: '46952fe69bebc1a4de10b2b4ff439d0c' } }) purchase_xid: string | null;
}

export class PacksParamsDto {
  @Requires(HashArray({ badElement: 'whole', formIndexed: true }), { null: 'invalid' }) @Type(() => PackParamsDto) packs: PackParamsDto[];
}
