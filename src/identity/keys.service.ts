import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { modelError } from '../common/api-error';
import { uniqueViolation } from '../common/db-errors';
import { Key, KeyType, KeyUsageType } from './entities/key.entity';
import { parseSshPublicKey } from './ssh-key';

export interface AddKeyInput {
  type: KeyType;
  userId: number | null;
  title: string;
  key: string;
  expiresAt?: Date | null;
  usageType?: KeyUsageType;
}

@Injectable()
export class KeysService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Stores a user key or a deploy key. Invalid material → 400 `{"message":{"key":["is invalid"]}}`; material
   * that exists already (as either kind) → 400 `{"message":{"fingerprint_sha256":["has already been taken"]}}`.
   */
  async add(input: AddKeyInput, manager: EntityManager = this.dataSource.manager): Promise<Key> {
    const parsed = parseSshPublicKey(input.key);
    if (!parsed) throw modelError({ key: ['is invalid'] });
    const repo = manager.getRepository(Key);
    if (await repo.exists({ where: { fingerprint_sha256: parsed.fingerprintSha256 } }))
      throw modelError({ fingerprint_sha256: ['has already been taken'] });
    try {
      return await repo.save(
        repo.create({
          type: input.type,
          user_id: input.userId,
          title: input.title,
          key: parsed.normalized,
          fingerprint: parsed.fingerprint,
          fingerprint_sha256: parsed.fingerprintSha256,
          usage_type: input.usageType ?? 'auth_and_signing',
          expires_at: input.expiresAt ?? null,
        }),
      );
    } catch (err) {
      if (uniqueViolation(err) !== null) throw modelError({ fingerprint_sha256: ['has already been taken'] });
      throw err;
    }
  }
}
