import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { sha256Hex } from '../common/secrets';
import { PersonalAccessToken } from './entities/personal-access-token.entity';

/** Scopes a user may give a personal access token (GitLab 17.x, sorted); admins may add `sudo` and `admin_mode`. */
export const PAT_SCOPES = [
  'api',
  'create_runner',
  'k8s_proxy',
  'manage_runner',
  'read_api',
  'read_registry',
  'read_repository',
  'read_user',
  'self_rotate',
  'write_registry',
  'write_repository',
];

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** `glpat-` + 20 random characters. */
export function generatePatToken(): string {
  const bytes = randomBytes(20);
  let out = 'glpat-';
  for (const b of bytes) out += TOKEN_ALPHABET[b % TOKEN_ALPHABET.length];
  return out;
}

@Injectable()
export class PersonalAccessTokensService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The token whose digest matches the clear token, with its user; null when none. */
  findByToken(token: string, manager: EntityManager = this.dataSource.manager): Promise<PersonalAccessToken | null> {
    return manager.getRepository(PersonalAccessToken).findOne({ where: { token_digest: sha256Hex(token) }, relations: { user: true } });
  }

  /** Records a use of the token (`last_used_at` = now). */
  async touch(id: number, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.getRepository(PersonalAccessToken).update(id, { last_used_at: new Date() });
  }

  /** Creates a token; the clear token is returned once and only its digest is stored. */
  async create(
    input: { userId: number; name: string; scopes: string[]; expiresAt?: string | null },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ token: string; pat: PersonalAccessToken }> {
    const token = generatePatToken();
    const pat = await manager.getRepository(PersonalAccessToken).save({
      user_id: input.userId,
      name: input.name,
      scopes: input.scopes,
      expires_at: input.expiresAt ?? null,
      token_digest: sha256Hex(token),
      revoked: false,
      last_used_at: null,
    });
    return { token, pat };
  }

  /** Ensures a token with exactly this clear value exists for the user (ROOT_ACCESS_TOKEN bootstrap). */
  async ensure(userId: number, name: string, token: string, scopes: string[], manager: EntityManager = this.dataSource.manager): Promise<void> {
    const repo = manager.getRepository(PersonalAccessToken);
    const digest = sha256Hex(token);
    const existing = await repo.findOne({ where: { token_digest: digest } });
    if (existing) {
      if (existing.user_id !== userId || existing.revoked) await repo.update(existing.id, { user_id: userId, revoked: false, scopes, expires_at: null });
      return;
    }
    await repo.save({ user_id: userId, name, scopes, token_digest: digest, revoked: false, expires_at: null, last_used_at: null });
  }
}
