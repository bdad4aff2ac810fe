import { Int32, Optional, ParamDefaults, Requires, Str } from '../../common/params';
import { DateTimeParam } from '../params/dates';

@ParamDefaults({ null: 'value' })
export class CreditCardValidationDto {
  @Requires(DateTimeParam, { api: { example: '2020-01-01 00:00:00 UTC' } }) credit_card_validated_at: Date | null;
  @Requires(Int32, { api: { example: 12 } }) credit_card_expiration_month: number | null;
  @Requires(Int32, { api: { example: 2030 } }) credit_card_expiration_year: number | null;
  @Requires(Str) credit_card_holder_name: string | null;
  @Requires(Str, { api: { example: '1111' } }) credit_card_mask_number: string | null;
  @Requires(Str, { api: { example: 'visa' } }) credit_card_type: string | null;
  @Optional(Str) zuora_payment_method_xid?: string | null;
  @Optional(Str) stripe_setup_intent_xid?: string | null;
  @Optional(Str) stripe_payment_method_xid?: string | null;
  @Optional(Str) stripe_card_fingerprint?: string | null;
}
