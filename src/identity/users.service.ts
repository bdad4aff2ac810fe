import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Queryable } from '../common/queryable';
import { conflict, modelError } from '../common/api-error';
import { uniqueViolation } from '../common/db-errors';
import { isValidNamespacePath, NAMESPACE_PATH_ERROR } from '../common/path-format';
import { Namespace } from '../namespaces/entities/namespace.entity';
import { releaseRedirectRoutes } from '../namespaces/paths';
import { Identity } from './entities/identity.entity';
import { User, UserState } from './entities/user.entity';

export interface CreateUserInput {
  username: string;
  name: string;
  email: string;
  encryptedPassword?: string | null;
  admin?: boolean;
  external?: boolean;
  state?: UserState;
  enterpriseGroupId?: number | null;
  notificationEmail?: string | null;
  identity?: { provider: string; externUid: string };
}

@Injectable()
export class UsersService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Creates a user with its personal namespace (and an identity when given) in one transaction. Duplicates
   * answer 409 `Email has already been taken` / `Username has already been taken`, also when a concurrent
   * request won the race.
   */
  async create(input: CreateUserInput, manager?: EntityManager): Promise<User> {
    if (!isValidNamespacePath(input.username)) throw modelError({ username: [NAMESPACE_PATH_ERROR] });
    const run = async (m: EntityManager) => {
      const users = m.getRepository(User);
      if (await users.createQueryBuilder('u').where('lower(u.email) = lower(:e)', { e: input.email }).getExists())
        throw conflict('Email has already been taken');
      if (
        (await users.createQueryBuilder('u').where('lower(u.username) = lower(:n)', { n: input.username }).getExists()) ||
        (await m
          .getRepository(Namespace)
          .createQueryBuilder('n')
          .where('lower(n.full_path) = lower(:p)', { p: input.username })
          .getExists())
      )
        throw conflict('Username has already been taken');
      const user = await users.save(
        users.create({
          username: input.username,
          name: input.name,
          email: input.email,
          encrypted_password: input.encryptedPassword ?? null,
          admin: input.admin ?? false,
          external: input.external ?? false,
          state: input.state ?? 'active',
          enterprise_group_id: input.enterpriseGroupId ?? null,
          notification_email: input.notificationEmail ?? null,
        }),
      );
      await releaseRedirectRoutes(m, input.username);
      await m.getRepository(Namespace).save({
        type: 'User',
        name: input.name,
        path: input.username,
        full_path: input.username,
        owner_id: user.id,
        parent_id: null,
        visibility_level: 20,
      });
      if (input.identity) {
        await m.getRepository(Identity).save({ user_id: user.id, provider: input.identity.provider, extern_uid: input.identity.externUid });
      }
      return user;
    };
    try {
      return manager ? await run(manager) : await this.dataSource.transaction(run);
    } catch (err) {
      const index = uniqueViolation(err);
      if (index === null) throw err;
      if (index.includes('email')) throw conflict('Email has already been taken');
      if (index.includes('identities')) throw conflict('Identity has already been taken');
      throw conflict('Username has already been taken');
    }
  }

  /** Moves a user to another state (`active`, `blocked` …), stamping `updated_at`. */
  async setState(userId: number, state: string, q: Queryable = this.dataSource): Promise<void> {
    await q.query(`UPDATE users SET state = $2, updated_at = now() WHERE id = $1`, [userId, state]);
  }

  /** Counts a failed sign-in attempt; the attempt that reaches `lockAfter` locks the account (sets `locked_at`). */
  async recordFailedAttempt(userId: number, lockAfter: number, q: Queryable = this.dataSource): Promise<void> {
    await q.query(
      `UPDATE users SET failed_attempts = failed_attempts + 1,
         locked_at = CASE WHEN failed_attempts + 1 >= $2 THEN now() ELSE locked_at END
       WHERE id = $1`,
      [userId, lockAfter],
    );
  }

  /** Lower-cased usernames and namespace full paths that start with `prefix` (case-insensitive): names a new user cannot take. */
  async takenNamesWithPrefix(prefix: string, q: Queryable = this.dataSource): Promise<Set<string>> {
    const rows: { name: string }[] = await q.query(
      `SELECT lower(username) AS name FROM users WHERE lower(username) LIKE lower($1) || '%'
       UNION SELECT lower(full_path) FROM namespaces WHERE lower(full_path) LIKE lower($1) || '%'`,
      [prefix.replace(/[\\%_]/g, (c) => `\\${c}`)],
    );
    return new Set(rows.map((r) => r.name));
  }

  /** Deletes the user's SSH keys (not the deploy keys it created), personal access tokens and identities. */
  async deleteCredentials(userId: number, q: Queryable = this.dataSource): Promise<void> {
    await q.query(`DELETE FROM keys WHERE user_id = $1 AND type = 'Key'`, [userId]);
    await q.query(`DELETE FROM personal_access_tokens WHERE user_id = $1`, [userId]);
    await q.query(`DELETE FROM identities WHERE user_id = $1`, [userId]);
  }

  /** Deletes a user row (its credentials, memberships and personal namespace are the caller's to remove first). */
  async deleteRow(userId: number, q: Queryable = this.dataSource): Promise<void> {
    await q.query(`DELETE FROM users WHERE id = $1`, [userId]);
  }

  /** Makes the user an active admin. */
  async makeActiveAdmin(userId: number, q: Queryable = this.dataSource): Promise<void> {
    await q.query(`UPDATE users SET admin = true, state = 'active' WHERE id = $1`, [userId]);
  }

  /** Which of these user ids exist. */
  async existingIds(ids: number[], q: Queryable = this.dataSource): Promise<Set<number>> {
    if (!ids.length) return new Set();
    const rows: { id: number }[] = await q.query(`SELECT id FROM users WHERE id = ANY($1::bigint[])`, [ids]);
    return new Set(rows.map((r) => Number(r.id)));
  }

  findById(id: number, manager: EntityManager = this.dataSource.manager): Promise<User | null> {
    return manager.getRepository(User).findOne({ where: { id } });
  }

  /** The user, locked for update until the transaction of `manager` ends. */
  lockById(id: number, manager: EntityManager): Promise<User | null> {
    return manager.getRepository(User).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** The user whose email is `email`, compared case-insensitively. */
  findByEmail(email: string, manager: EntityManager = this.dataSource.manager): Promise<User | null> {
    return manager.getRepository(User).createQueryBuilder('u').where('lower(u.email) = lower(:e)', { e: email }).getOne();
  }

  findByUsername(username: string, manager: EntityManager = this.dataSource.manager): Promise<User | null> {
    return manager.getRepository(User).createQueryBuilder('u').where('lower(u.username) = lower(:n)', { n: username }).getOne();
  }

  personalNamespace(userId: number, manager: EntityManager = this.dataSource.manager): Promise<Namespace | null> {
    return manager.getRepository(Namespace).findOne({ where: { owner_id: userId, type: 'User' } });
  }
}
