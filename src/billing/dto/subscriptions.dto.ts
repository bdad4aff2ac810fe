import { Type } from 'class-transformer';
import { IsIn } from 'class-validator';
import { Bool, HashParam, Int32, Integer, Optional, ParamDefaults, Requires, Str } from '../../common/params';
import { DateParam } from '../params/dates';

/**
 * Attributes of a subscription write. An absent parameter is not set on the instance; an explicit null (or a blank
 * value of a non-String parameter) is null.
 */
@ParamDefaults({ null: 'value' })
export class SubscriptionParamsDto {
  @Optional(DateParam, { api: { example: '2020-07-15', description: 'Date; required on create' } }) start_date?: string | null;
  @Optional(DateParam, { api: { example: '2021-07-15' } }) end_date?: string | null;
  @Optional(Str, { api: { example: 'premium', description: 'plan name; null = free; unknown = no plan' } }) plan_code?: string | null;
  @Optional(Int32, { api: { example: 10 } }) seats?: number | null;
  @Optional(Int32, { api: { example: 0 } }) max_seats_used?: number | null;
  @Optional(Bool) auto_renew?: boolean | null;
  @Optional(Bool) trial?: boolean | null;
  @Optional(DateParam) trial_starts_on?: string | null;
  @Optional(DateParam) trial_ends_on?: string | null;
  @Optional(Integer({ min: -32768, max: 32767 }), { api: { enum: [1, 2] } }) @IsIn([1, 2]) trial_extension_type?: number | null;
}

/** A new subscription: as an update, with `start_date` required. */
@ParamDefaults({ null: 'value' })
export class NewSubscriptionParamsDto extends SubscriptionParamsDto {
  @Requires(DateParam, { api: { example: '2020-07-15' } }) declare start_date: string | null;
}

@ParamDefaults({ null: 'value' })
export class NamespaceUpdateDto {
  @Optional(Int32) shared_runners_minutes_limit?: number | null;
  @Optional(Int32) extra_shared_runners_minutes_limit?: number | null;
  @Optional(Integer()) additional_purchased_storage_size?: number | null;
  @Optional(DateParam) additional_purchased_storage_ends_on?: string | null;
  @Optional(HashParam) @Type(() => SubscriptionParamsDto) gitlab_subscription_attributes?: SubscriptionParamsDto | null;
}
