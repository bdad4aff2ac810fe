import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { idParam, stringParam } from '../common/coerce';
import { Queryable } from '../common/queryable';
import { EntityRows } from '../database/entity-rows';
import { preparedQuery } from '../database/prepared-statements';
import { Identity } from './entities/identity.entity';
import { Key } from './entities/key.entity';
import { User } from './entities/user.entity';

/**
 * Who is acting in a gitlab-shell / Gitaly request: a user key, a deploy key, a user, or
 * nobody. `key` is set for key actors; `user` is the key's owner, a deploy key's creator, or the user.
 */
export interface Actor {
  kind: 'key' | 'deploy_key' | 'user' | 'anonymous';
  key: Key | null;
  user: User | null;
  /** Which parameter designated the actor (`key_id`, `user_id`, `username`, `krb5principal`, `identifier`), if any. */
  source: string | null;
}

export const ANONYMOUS: Actor = { kind: 'anonymous', key: null, user: null, source: null };

/** The actor parameters in GitLab's order of precedence. */
const ACTOR_PARAMS = ['key_id', 'user_id', 'username', 'krb5principal', 'identifier'] as const;

/**
 * The parameters that name an actor, as gitlab-shell, Gitaly and Workhorse send them (ids as numbers or digit
 * strings); the first one present wins. A request's parameters are accepted as they are: nothing is copied on the
 * `/allowed` path.
 */
export type ActorParams = Readonly<Partial<Record<(typeof ACTOR_PARAMS)[number], unknown>>>;

/** A key as `/authorized_keys` answers it, with its owner's name. */
export interface AuthenticationKeyRow {
  id: number;
  title: string;
  created_at: Date;
  expires_at: Date | null;
  key: string;
  usage_type: string;
  owner_name: string | null;
}

interface ActorLookups {
  keys: EntityRows<Key>;
  users: EntityRows<User>;
  byKeyId: string;
  byUserId: string;
}

const LAST_USED_REFRESH_MS = 24 * 60 * 60 * 1000;

@Injectable()
export class ActorService {
  private statements?: ActorLookups;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Resolves the actor from the first parameter present; unknown values resolve to anonymous, never an error. */
  async resolve(params: ActorParams, manager: EntityManager = this.dataSource.manager): Promise<Actor> {
    const name = ACTOR_PARAMS.find((p) => params[p] !== undefined && params[p] !== null);
    if (!name) return ANONYMOUS;
    const value = params[name];
    switch (name) {
      case 'key_id':
        return this.byKeyId(idParam(value), name, manager);
      case 'user_id':
        return this.byUserId(idParam(value), name, manager);
      case 'username': {
        const username = stringParam(value);
        return username ? this.byUsername(username, name, manager) : { ...ANONYMOUS, source: name };
      }
      case 'krb5principal': {
        const principal = stringParam(value);
        if (!principal) return { ...ANONYMOUS, source: name };
        const identity = await manager.getRepository(Identity).findOne({ where: { provider: 'kerberos', extern_uid: principal }, relations: { user: true } });
        return identity?.user ? { kind: 'user', key: null, user: identity.user, source: name } : { ...ANONYMOUS, source: name };
      }
      case 'identifier':
        return this.byIdentifier(stringParam(value) ?? '', manager);
    }
  }

  /** `user-<id>`, `key-<id>` or `username-<name>` (Gitaly's `gl_id` forms). */
  async byIdentifier(identifier: string, manager: EntityManager = this.dataSource.manager): Promise<Actor> {
    const m = /^(user|key|username)-(.+)$/.exec(identifier.trim());
    if (!m) return { ...ANONYMOUS, source: 'identifier' };
    if (m[1] === 'user') return this.byUserId(idParam(m[2]), 'identifier', manager);
    if (m[1] === 'key') return this.byKeyId(idParam(m[2]), 'identifier', manager);
    return this.byUsername(m[2], 'identifier', manager);
  }

  /** A key usable for authentication (signing-only keys are invisible), with its owner or creator. */
  async byKeyId(id: number | null | undefined, source = 'key_id', manager: EntityManager = this.dataSource.manager): Promise<Actor> {
    if (!id) return { ...ANONYMOUS, source };
    // one round trip, a prepared statement: the key joined with its user
    const { keys, users, byKeyId } = this.lookups();
    const [row] = await preparedQuery(manager, byKeyId, [id]);
    const key = row ? keys.read(row) : null;
    if (!key) return { ...ANONYMOUS, source };
    const user = users.read(row);
    if (user) key.user = user;
    return { kind: key.type === 'DeployKey' ? 'deploy_key' : 'key', key, user, source };
  }

  /**
   * The authentication key with this SHA-256 fingerprint and its owner's name (`/authorized_keys`): one indexed
   * query, prepared.
   */
  async authenticationKeyByFingerprint(fingerprint: string, q: Queryable = this.dataSource): Promise<AuthenticationKeyRow | null> {
    const [row] = await preparedQuery<AuthenticationKeyRow>(
      q,
      `SELECT k.id, k.title, k.created_at, k.expires_at, k.key, k.usage_type, u.name AS owner_name
       FROM keys k LEFT JOIN users u ON u.id = k.user_id
       WHERE k.fingerprint_sha256 = $1 AND k.usage_type IN ('auth', 'auth_and_signing')`,
      [fingerprint],
    );
    return row ?? null;
  }

  /** The key and user lookups' statements and readers, built once from the entities' metadata. */
  private lookups(): ActorLookups {
    if (!this.statements) {
      const keys = new EntityRows(this.dataSource, Key, 'k');
      const users = new EntityRows(this.dataSource, User, 'u');
      this.statements = {
        keys,
        users,
        byKeyId: `SELECT ${keys.select}, ${users.select} FROM keys k LEFT JOIN users u ON u.id = k.user_id
        WHERE k.id = $1 AND k.usage_type IN ('auth', 'auth_and_signing')`,
        byUserId: `SELECT ${users.select} FROM users u WHERE u.id = $1`,
      };
    }
    return this.statements;
  }

  async byUserId(id: number | null | undefined, source = 'user_id', manager: EntityManager = this.dataSource.manager): Promise<Actor> {
    if (!id) return { ...ANONYMOUS, source };
    const { users, byUserId } = this.lookups();
    const [row] = await preparedQuery(manager, byUserId, [id]);
    const user = row ? users.read(row) : null;
    return user ? { kind: 'user', key: null, user, source } : { ...ANONYMOUS, source };
  }

  async byUsername(username: string, source = 'username', manager: EntityManager = this.dataSource.manager): Promise<Actor> {
    const user = await manager.getRepository(User).createQueryBuilder('u').where('lower(u.username) = lower(:n)', { n: username }).getOne();
    return user ? { kind: 'user', key: null, user, source } : { ...ANONYMOUS, source };
  }

  /** Key last-used tracking: set `last_used_at` when null or older than 24 hours; never fails the request. */
  async touchKey(actor: Actor): Promise<void> {
    const key = actor.key;
    if (!key) return;
    if (key.last_used_at && Date.now() - new Date(key.last_used_at).getTime() < LAST_USED_REFRESH_MS) return;
    try {
      await this.dataSource.query(
        `UPDATE keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '24 hours')`,
        [key.id],
      );
    } catch {
      /* tracking never fails the request */
    }
  }

  /** `gl_id`: `user-<id>` when the actor has a user, else the empty string. */
  static glId(actor: Actor): string {
    return actor.user ? `user-${actor.user.id}` : '';
  }
}
