import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { badRequest, notFound } from '../common/api-error';
import { idParam } from '../common/coerce';
import { Queryable } from '../common/queryable';
import { sha256Hex } from '../common/secrets';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Actor, ActorService } from '../identity/actor.service';
import { BLOCKED_STATES, User } from '../identity/entities/user.entity';
import { UsersService } from '../identity/users.service';
import { EnableTwoFactorRequest, KeyIdRequest, OtpCheckRequest } from './dto/keys.dto';
import { OtpSecretCipher } from './otp-secret-cipher';
import { generateOtpSecret, verifyTotp } from './totp';
import { UserTwoFactor } from './entities/user-two-factor.entity';

/** A business answer of the 2FA and PAT routes: always HTTP 200. */
export type ShellResult = { success: true; [key: string]: unknown } | { success: false; message?: string };

export const fail = (message: string): ShellResult => ({ success: false, message });

export const MAX_FAILED_ATTEMPTS = 10;
const LOCK_MINUTES = 10;
const RECOVERY_CODE_COUNT = 10;

/**
 * The message for an actor that cannot use the 2FA/PAT commands (GitLab's `validate_actor`): no key, or a key
 * without a user (a deploy key without creator); null when the actor is usable.
 */
export function actorError(actor: Actor): string | null {
  if (!actor.key) return 'Could not find the given key';
  if (!actor.user) return 'Could not find a user for the given key';
  return null;
}

/** Two-factor authentication: recovery codes, the manual OTP check, and the admin switch. */
@Injectable()
export class TwoFactorService {
  private readonly cipher: OtpSecretCipher;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly actors: ActorService,
    private readonly users: UsersService,
  ) {
    this.cipher = new OtpSecretCipher(config.dbKeyBase);
  }

  /** Which of these users have two-factor authentication enabled. */
  async enabledUserIds(userIds: number[], q: Queryable = this.dataSource): Promise<Set<number>> {
    if (!userIds.length) return new Set();
    const rows: { user_id: string | number }[] = await q.query(`SELECT user_id FROM user_two_factor WHERE user_id = ANY($1::bigint[])`, [userIds]);
    return new Set(rows.map((r) => Number(r.user_id)));
  }

  /** `POST /two_factor_recovery_codes`. */
  async regenerateRecoveryCodes(input: KeyIdRequest): Promise<ShellResult> {
    const actor = await this.actors.resolve(input);
    await this.actors.touchKey(actor);
    const error = actorError(actor);
    if (input.user_id !== undefined && !actor.user) return fail('Could not find the given user');
    if (error) return fail(error);
    if (actor.kind === 'deploy_key') return fail('Deploy keys cannot be used to retrieve recovery codes');
    const userId = actor.user!.id;
    const codes = generateRecoveryCodes();
    const digests = codes.map((c) => sha256Hex(c));
    const result = await this.dataSource.getRepository(UserTwoFactor).update({ user_id: userId }, { otp_backup_code_digests: digests });
    if (!result.affected) return fail('Two-factor authentication is not enabled for this user');
    return { success: true, recovery_codes: codes };
  }

  /** `POST /two_factor_manual_otp_check`. */
  async manualOtpCheck(input: OtpCheckRequest): Promise<ShellResult> {
    const actor = await this.actors.resolve(input);
    await this.actors.touchKey(actor);
    const error = actorError(actor);
    if (error) return fail(error);
    if (actor.kind === 'deploy_key') return fail('Deploy keys cannot be used for Two Factor');
    const userId = actor.user!.id;
    const attempt = (input.otp_attempt ?? '').trim();
    return this.dataSource.transaction(async (m) => {
      // the rows are locked so that two parallel checks cannot both consume one code
      const twoFactor = await m
        .getRepository(UserTwoFactor)
        .createQueryBuilder('t')
        .setLock('pessimistic_write')
        .where('t.user_id = :userId', { userId })
        .getOne();
      if (!twoFactor) return fail('Two-factor authentication is not enabled for this user');
      const user = await m
        .getRepository(User)
        .createQueryBuilder('u')
        .setLock('pessimistic_write')
        .where('u.id = :userId', { userId })
        .getOne();
      if (!user) return fail('Could not find a user for the given key');
      if (await this.isLocked(user, m)) return fail('Your account is locked');
      const secret = this.cipher.decrypt(twoFactor.otp_secret_encrypted);
      const consumed = twoFactor.consumed_timestep === null ? null : Number(twoFactor.consumed_timestep);
      const step = secret ? verifyTotp(secret, attempt, Math.floor(Date.now() / 1000), consumed) : null;
      if (step === null) {
        await this.users.recordFailedAttempt(userId, MAX_FAILED_ATTEMPTS, m);
        return fail('Invalid OTP');
      }
      await m.getRepository(UserTwoFactor).update({ user_id: userId }, { consumed_timestep: step });
      return { success: true };
    });
  }

  /**
   * Blocked states, or locked within the last 10 minutes. An older lock is cleared together with the failed
   * attempts (Devise's unlock-after-time strategy).
   */
  private async isLocked(user: User, m: EntityManager): Promise<boolean> {
    if (BLOCKED_STATES.includes(user.state)) return true;
    if (!user.locked_at) return false;
    if (Date.now() - new Date(user.locked_at).getTime() < LOCK_MINUTES * 60_000) return true;
    await m.getRepository(User).update({ id: user.id }, { locked_at: null, failed_attempts: 0 });
    return false;
  }

  /** Admin: enable 2FA with a given or generated base32 secret, replacing any previous secret and codes. */
  /** `otp_secret`, when given, is a valid base32 secret (the DTO answers `otp_secret is invalid`). */
  async enable(userIdParam: string, input: EnableTwoFactorRequest): Promise<{ otp_secret: string }> {
    const userId = idParam(userIdParam);
    const secret = input.otp_secret ?? generateOtpSecret();
    return this.dataSource.transaction(async (m) => {
      const user = userId ? await m.getRepository(User).findOne({ where: { id: userId } }) : null;
      if (!user) throw notFound('User');
      await m.query(
        `INSERT INTO user_two_factor (user_id, otp_secret_encrypted, otp_backup_code_digests, consumed_timestep)
         VALUES ($1, $2, '[]'::jsonb, NULL)
         ON CONFLICT (user_id) DO UPDATE SET otp_secret_encrypted = EXCLUDED.otp_secret_encrypted,
           otp_backup_code_digests = '[]'::jsonb, consumed_timestep = NULL, updated_at = now()`,
        [user.id, this.cipher.encrypt(secret)],
      );
      return { otp_secret: secret };
    });
  }

  /** Admin: disable 2FA; 400 when it is not enabled. */
  async disable(userIdParam: string): Promise<void> {
    const userId = idParam(userIdParam);
    const user = userId ? await this.dataSource.getRepository(User).findOne({ where: { id: userId } }) : null;
    if (!user) throw notFound('User');
    const result = await this.dataSource.getRepository(UserTwoFactor).delete({ user_id: user.id });
    if (!result.affected) throw badRequest('Two-factor authentication is not enabled for this user');
  }
}

/** 10 distinct codes of 16 lowercase hex characters (8 CSPRNG bytes each). */
export function generateRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  const codes = new Set<string>();
  while (codes.size < count) codes.add(randomBytes(8).toString('hex'));
  return [...codes];
}
