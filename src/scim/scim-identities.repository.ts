import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { SCIM_DEFAULT_ACCESS_LEVEL } from './entities/scim-group-setting.entity';
import { ScimIdentity } from './entities/scim-identity.entity';
import { resourceNotFound } from './scim-exceptions';
import { FilterTerm } from './scim-filter';
import { ListWindow } from './scim-list-query';
import { ScimScope } from './scim-tokens.service';

/** One SQL condition of a list filter (aliases: `i` the identity, `u` its user) and its named parameters. */
export interface FilterCondition {
  sql: string;
  params: Record<string, unknown>;
}

/**
 * The condition of one filter term. `id` and `externalId` are both the extern_uid (exact); `userName` is the
 * identity's user_name, else the user's username, and `emails.value` the user's email, both case-insensitive.
 */
export function filterCondition(term: FilterTerm, param: string): FilterCondition {
  const params = { [param]: term.value };
  switch (term.attribute) {
    case 'id':
    case 'externalId':
      return { sql: `i.extern_uid = :${param}`, params };
    case 'userName':
      return { sql: `lower(coalesce(i.user_name, u.username)) = lower(:${param})`, params };
    case 'emails.value':
      return { sql: `lower(u.email) = lower(:${param})`, params };
    case 'active':
      return { sql: `i.active = :${param}`, params };
  }
}

/** The columns a new identity is written with. */
export type NewScimIdentity = Pick<
  ScimIdentity,
  'group_id' | 'user_id' | 'extern_uid' | 'user_name' | 'given_name' | 'family_name' | 'active'
>;

/** Every query of `scim_identities` (and of `scim_group_settings`'s default access level), for one SCIM scope. */
@Injectable()
export class ScimIdentitiesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The scope's identities joined with their users. */
  private inScope(scope: ScimScope, m: EntityManager): SelectQueryBuilder<ScimIdentity> {
    const qb = m.getRepository(ScimIdentity).createQueryBuilder('i').innerJoinAndSelect('i.user', 'u');
    if (scope.group) qb.where('i.group_id = :gid', { gid: scope.group.id });
    else qb.where('i.group_id IS NULL');
    return qb;
  }

  /** The identities matching every term, oldest first: the total, and the rows of the window. */
  async page(
    scope: ScimScope,
    terms: FilterTerm[],
    window: ListWindow,
    m: EntityManager = this.dataSource.manager,
  ): Promise<{ total: number; rows: ScimIdentity[] }> {
    const qb = this.inScope(scope, m);
    terms.forEach((term, n) => {
      const condition = filterCondition(term, `f${n}`);
      qb.andWhere(condition.sql, condition.params);
    });
    const total = await qb.getCount();
    if (window.count === 0 || window.startIndex > total) return { total, rows: [] };
    const rows = await qb
      .orderBy('i.created_at', 'ASC')
      .addOrderBy('i.id', 'ASC')
      .skip(window.startIndex - 1)
      .take(window.count)
      .getMany();
    return { total, rows };
  }

  /** The identity (with its user) whose extern_uid is `id`, or `Resource <id> not found`. */
  async get(scope: ScimScope, id: string, m: EntityManager = this.dataSource.manager): Promise<ScimIdentity> {
    const identity = await this.inScope(scope, m).andWhere('i.extern_uid = :id', { id }).getOne();
    if (!identity) throw resourceNotFound(id);
    return identity;
  }

  /** The identity locked for update (without its user), or `Resource <id> not found`. */
  async lock(scope: ScimScope, id: string, m: EntityManager): Promise<ScimIdentity> {
    const qb = m.getRepository(ScimIdentity).createQueryBuilder('i').where('i.extern_uid = :id', { id }).setLock('pessimistic_write');
    if (scope.group) qb.andWhere('i.group_id = :gid', { gid: scope.group.id });
    else qb.andWhere('i.group_id IS NULL');
    const identity = await qb.getOne();
    if (!identity) throw resourceNotFound(id);
    return identity;
  }

  /** Serialises the provisioning of one externalId in one scope until the transaction ends. */
  async lockProvisioning(scope: ScimScope, externUid: string, m: EntityManager): Promise<void> {
    const scopeKey = scope.group ? String(scope.group.id) : 'instance';
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`scim:${scopeKey}:${externUid}`]);
  }

  externUidTaken(scope: ScimScope, externUid: string, m: EntityManager = this.dataSource.manager): Promise<boolean> {
    return this.inScope(scope, m).andWhere('i.extern_uid = :e', { e: externUid }).getExists();
  }

  /** Whether the userName is taken in the scope, case-insensitively (an identity's user_name, else its user's username). */
  userNameTaken(scope: ScimScope, userName: string, m: EntityManager = this.dataSource.manager): Promise<boolean> {
    return this.inScope(scope, m).andWhere('lower(coalesce(i.user_name, u.username)) = lower(:n)', { n: userName }).getExists();
  }

  /** Whether the user already has an identity in the scope. */
  userLinked(scope: ScimScope, userId: number, m: EntityManager = this.dataSource.manager): Promise<boolean> {
    return this.inScope(scope, m).andWhere('i.user_id = :uid', { uid: userId }).getExists();
  }

  async insert(values: NewScimIdentity, m: EntityManager): Promise<ScimIdentity> {
    const repo = m.getRepository(ScimIdentity);
    const saved = await repo.save(repo.create(values));
    return repo.findOneOrFail({ where: { id: saved.id } });
  }

  async setExternUid(id: number, externUid: string, m: EntityManager): Promise<void> {
    await m.query(`UPDATE scim_identities SET extern_uid = $2 WHERE id = $1`, [id, externUid]);
  }

  async setActive(id: number, active: boolean, m: EntityManager): Promise<void> {
    await m.query(`UPDATE scim_identities SET active = $2 WHERE id = $1`, [id, active]);
  }

  async touch(id: number, m: EntityManager): Promise<void> {
    await m.query(`UPDATE scim_identities SET updated_at = now() WHERE id = $1`, [id]);
  }

  async delete(id: number, m: EntityManager): Promise<void> {
    await m.query(`DELETE FROM scim_identities WHERE id = $1`, [id]);
  }

  /** The access level SCIM gives new members of the group (its setting, else Guest). */
  async groupDefaultAccessLevel(groupId: number, m: EntityManager = this.dataSource.manager): Promise<number> {
    const rows: { level: number }[] = await m.query(`SELECT default_access_level AS level FROM scim_group_settings WHERE group_id = $1`, [
      groupId,
    ]);
    return rows.length ? Number(rows[0].level) : SCIM_DEFAULT_ACCESS_LEVEL;
  }
}
