import { Inject, Injectable } from '@nestjs/common';
import { retryOnConflict } from '../common/retry';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ApiError, notFound, paramError } from '../common/api-error';
import { uniqueViolation } from '../common/db-errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import { User } from '../identity/entities/user.entity';
import { CreditCardValidation } from './entities/credit-card-validation.entity';
import { CreditCardValidationDto } from './dto/users.dto';
import { isStorableText } from '../common/storable-text';

const plainBadRequest = () => new ApiError(400, { message: '400 Bad request' });

/** base64 of SHA-256 (44 characters): how card data is kept. */
function cardHash(value: string): string {
  return createHash('sha256').update(value).digest('base64');
}

/** Users as CustomersDot sees them. */
@Injectable()
export class BillingUsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async get(id: string) {
    const text = String(id).trim();
    if (!/^-?\d+$/.test(text)) throw paramError('id is invalid');
    const n = Number(text);
    const user = Number.isSafeInteger(n) && n > 0 ? await this.dataSource.getRepository(User).findOne({ where: { id: n } }) : null;
    if (!user) throw notFound('User');
    return { id: Number(user.id), username: user.username, name: user.name, web_url: `${this.config.externalUrl}/${user.username}` };
  }

  /** A user by id or username (404 User Not Found). */
  async findUser(idOrUsername: string): Promise<User> {
    const text = String(idOrUsername);
    let user: User | null = null;
    if (!isStorableText(text)) throw notFound('User');
    if (/^\d+$/.test(text)) {
      const n = Number(text);
      if (Number.isSafeInteger(n)) user = await this.dataSource.getRepository(User).findOne({ where: { id: n } });
    } else {
      user = await this.dataSource.getRepository(User).createQueryBuilder('u').where('lower(u.username) = lower(:u)', { u: text }).getOne();
    }
    if (!user) throw notFound('User');
    return user;
  }

  async validateCreditCard(user: User, input: CreditCardValidationDto): Promise<{ success: Record<string, never> }> {
    const {
      credit_card_validated_at: validatedAt,
      credit_card_expiration_month: month,
      credit_card_expiration_year: year,
      credit_card_holder_name: holder,
      credit_card_mask_number: mask,
      credit_card_type: type,
      zuora_payment_method_xid: zuora,
      stripe_setup_intent_xid: setupIntent,
      stripe_payment_method_xid: paymentMethod,
      stripe_card_fingerprint: fingerprint,
    } = input;
    if (validatedAt == null || month == null || year == null || holder == null || mask == null || type == null) throw plainBadRequest();
    if (month < 1 || month > 12 || year < 1 || year > 9999) throw plainBadRequest();
    if (!/^\s*\d+\s*$/.test(mask) || Number(mask.trim()) > 9999) throw plainBadRequest();
    if (holder.length > 50 || type.length > 32) throw plainBadRequest();
    if (zuora != null && zuora.length > 50) throw plainBadRequest();
    for (const v of [setupIntent, paymentMethod, fingerprint]) if (v != null && v.length > 255) throw plainBadRequest();
    const lastDay = new Date(Date.UTC(2000, month, 0)).getUTCDate();
    const daysInMonth = month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : lastDay;
    const expiration = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(daysInMonth).padStart(2, '0')}`;
    const upsert = () =>
      this.dataSource.transaction(async (m) => {
        const repo = m.getRepository(CreditCardValidation);
        if (zuora != null) {
          const other = await repo
            .createQueryBuilder('c')
            .where('c.zuora_payment_method_xid = :z AND c.user_id <> :u', { z: zuora, u: user.id })
            .getCount();
          if (other > 0) throw plainBadRequest();
        }
        if (fingerprint != null) {
          const since = new Date(Date.now() - 24 * 3600_000);
          const used = await repo
            .createQueryBuilder('c')
            .where('c.stripe_card_fingerprint = :f AND c.credit_card_validated_at >= :since', { f: fingerprint, since })
            .getCount();
          if (used >= 5) throw plainBadRequest();
        }
        const row = (await repo.findOne({ where: { user_id: user.id } })) ?? repo.create({ user_id: Number(user.id) });
        Object.assign(row, {
          credit_card_validated_at: validatedAt,
          network_hash: cardHash(type.toLowerCase()),
          holder_name_hash: cardHash(holder.toLowerCase()),
          last_digits_hash: cardHash(String(Number(mask.trim()))),
          expiration_date_hash: cardHash(expiration),
          zuora_payment_method_xid: zuora ?? null,
          stripe_setup_intent_xid: setupIntent ?? null,
          stripe_payment_method_xid: paymentMethod ?? null,
          stripe_card_fingerprint: fingerprint ?? null,
        });
        await repo.save(row);
      });
    // a concurrent first validation of this user: read again, once; the zuora id went to another user: 400
    const retryable = (err: unknown) => !(uniqueViolation(err) ?? 'zuora').includes('zuora');
    try {
      await retryOnConflict(upsert, { attempts: 2, retryable });
    } catch (err) {
      if (uniqueViolation(err) !== null) throw plainBadRequest();
      throw err;
    }
    return { success: {} };
  }
}
