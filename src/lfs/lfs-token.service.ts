import { Inject, Injectable } from '@nestjs/common';
import { createHmac, randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Key } from '../identity/entities/key.entity';
import { User } from '../identity/entities/user.entity';

/** Lifetime of an LFS token: GitLab 17.x `Gitlab::LfsToken::DEFAULT_EXPIRE_TIME` (2 hours). */
export const LFS_TOKEN_TTL_SECONDS = 7200;

export type LfsActor = { kind: 'user'; user: User } | { kind: 'deploy_key'; key: Key };

/**
 * LFS tokens as GitLab's `Gitlab::LfsToken` makes them: an HS256 JWT whose key is derived from
 * the actor (a password change invalidates a user's tokens) and `DB_KEY_BASE`.
 */
@Injectable()
export class LfsTokenService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** `alice`, or `lfs+deploy-key-<id>`. */
  static actorName(actor: LfsActor): string {
    return actor.kind === 'user' ? actor.user.username : `lfs+deploy-key-${actor.key.id}`;
  }

  /** The HMAC key of an actor's tokens. */
  signingKey(actor: LfsActor): string {
    if (actor.kind === 'user') {
      return `${actor.user.id}${(actor.user.encrypted_password ?? '').slice(-16)}${this.config.dbKeyBase.slice(0, 16)}`;
    }
    return `${actor.key.fingerprint_sha256.slice(0, 16)}${this.config.dbKeyBase.slice(0, 32)}`;
  }

  /** Claims in GitLab's order: `data`, `jti`, `iat`, `nbf` (iat − 5), `exp` (iat + 7200). */
  issue(actor: LfsActor, projectId: number, now = Math.floor(Date.now() / 1000)): string {
    const header = { alg: 'HS256', typ: 'JWT' };
    const payload = {
      data: { actor: LfsTokenService.actorName(actor), container_gid: `gid://gitlab/Project/${projectId}` },
      jti: randomUUID(),
      iat: now,
      nbf: now - 5,
      exp: now + LFS_TOKEN_TTL_SECONDS,
    };
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const unsigned = `${encode(header)}.${encode(payload)}`;
    const signature = createHmac('sha256', this.signingKey(actor)).update(unsigned).digest('base64url');
    return `${unsigned}.${signature}`;
  }
}
