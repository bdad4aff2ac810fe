import { Injectable, Logger } from '@nestjs/common';
import { retryOnConflict } from '../common/retry';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ApiError } from '../common/api-error';
import { uniqueViolation } from '../common/db-errors';
import { todayUtc } from '../common/coerce';
import { User } from '../identity/entities/user.entity';
import { UsersService } from '../identity/users.service';
import { Member } from '../namespaces/entities/member.entity';
import { MembersService } from '../namespaces/members.service';
import { MembershipRepository } from '../namespaces/membership.repository';
import { SCIM_DEFAULT_ACCESS_LEVEL } from './entities/scim-group-setting.entity';
import { SCIM_IDENTITY_INDEX, ScimIdentity } from './entities/scim-identity.entity';
import { LIST_RESPONSE_SCHEMA } from './scim.constants';
import { invalidValue, resourceNotFound, scimError, uniqueness } from './scim-exceptions';
import { FilterTerm, parseScimFilter } from './scim-filter';
import { ciGet, interpretPatch, PatchOutcome } from './scim-patch';
import { ScimScope } from './scim-tokens.service';
import { ScimResource, selectAttributes, userResource } from './scim-user.presenter';
import { sanitizeUsername, uniqueUsername } from './username';

/** Query parameters of the SCIM routes, as the client sent them (first occurrence wins). */
export interface ScimQuery {
  filter?: string;
  startIndex?: string;
  count?: string;
  attributes?: string;
  excludedAttributes?: string;
}

export interface ScimListResponse {
  schemas: string[];
  totalResults: number;
  itemsPerPage: number;
  startIndex: number;
  Resources: ScimResource[];
}

/** The values of a create request after */
interface CreateInput {
  externUid: string;
  userName: string;
  email: string;
  displayName: string;
  givenName: string | null;
  familyName: string | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
const trimmedString = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
const EMAIL_FORMAT = /^[^@\s]+@[^@\s]+$/;

/** Base-10 integer parameter, or undefined when absent or unparseable. */
function intQuery(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*[+-]?\d+\s*$/.test(value)) return undefined;
  // beyond 2^53 the value is clamped, so it still renders as a JSON integer
  const n = Number(value.trim());
  return Math.max(-Number.MAX_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, n));
}

/** Reads and validates a POST body, in the documented order. */
export function readCreateBody(body: Record<string, unknown>): CreateInput {
  let externalId = ciGet(body, 'externalId');
  if (externalId === undefined || externalId === null) externalId = ciGet(body, 'id');
  const userName = ciGet(body, 'userName');
  const emails = ciGet(body, 'emails');
  const missing: string[] = [];
  if (blank(externalId)) missing.push('externalId');
  if (blank(userName)) missing.push('userName');
  if (emails === undefined || emails === null || (Array.isArray(emails) && emails.length === 0)) missing.push('emails');
  if (missing.length) throw invalidValue(`Missing required attributes: ${missing.join(', ')}`);
  if (typeof externalId !== 'string' || externalId.length > 255) throw invalidValue('Invalid value for externalId');
  if (typeof userName !== 'string' || userName.length > 255) throw invalidValue('Invalid value for userName');
  if (!Array.isArray(emails) || !emails.every(isObject)) throw invalidValue('Invalid value for emails');
  const entries = emails as Record<string, unknown>[];
  const primary = (e: Record<string, unknown>) => {
    const p = ciGet(e, 'primary');
    return p === true || (typeof p === 'string' && p.toLowerCase() === 'true');
  };
  const work = (e: Record<string, unknown>) => {
    const t = ciGet(e, 'type');
    return typeof t === 'string' && t.toLowerCase() === 'work';
  };
  const chosen = entries.find(primary) ?? entries.find(work) ?? entries[0];
  const rawEmail = ciGet(chosen, 'value');
  if (typeof rawEmail !== 'string' || rawEmail.trim() === '') throw invalidValue("Email can't be blank");
  const email = rawEmail.trim();
  if (email.length > 255 || !EMAIL_FORMAT.test(email)) throw invalidValue('Email is invalid');

  const rawName = ciGet(body, 'name');
  let formatted: string | null = null;
  let givenName: string | null = null;
  let familyName: string | null = null;
  if (typeof rawName === 'string') formatted = trimmedString(rawName);
  else if (isObject(rawName)) {
    formatted = trimmedString(ciGet(rawName, 'formatted'));
    givenName = trimmedString(ciGet(rawName, 'givenName'));
    familyName = trimmedString(ciGet(rawName, 'familyName'));
  }
  formatted ??= trimmedString(ciGet(body, 'name.formatted'));
  const joined = [givenName, familyName].filter((p) => p !== null).join(' ');
  const displayName = formatted ?? (joined || null) ?? trimmedString(ciGet(body, 'displayName')) ?? userName.trim();
  if ((givenName?.length ?? 0) > 255 || (familyName?.length ?? 0) > 255 || displayName.length > 255)
    throw invalidValue('Invalid value for name');
  return { externUid: externalId, userName, email, displayName, givenName, familyName };
}

/** A lost race inside a transaction (a concurrent insert of the same user, path or membership): run it again. */
class RetryTransaction extends Error {}

/** A transaction that lost a race (RetryTransaction) runs again, six times in all. */
const RETRY_LOST_RACES = { attempts: 6, retryable: (err: unknown) => err instanceof RetryTransaction };

/** List, get, create, patch and delete of SCIM users in one scope. */
@Injectable()
export class ScimUsersService {
  private readonly logger = new Logger('Scim');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly members: MembersService,
    private readonly memberships: MembershipRepository,
  ) {}

  private identities(m: EntityManager, scope: ScimScope) {
    const qb = m.getRepository(ScimIdentity).createQueryBuilder('i').innerJoinAndSelect('i.user', 'u');
    if (scope.group) qb.where('i.group_id = :gid', { gid: scope.group.id });
    else qb.where('i.group_id IS NULL');
    return qb;
  }

  private render(identity: ScimIdentity, scope: ScimScope): ScimResource {
    return userResource(identity, identity.user as User, scope.baseUrl);
  }

  // ---------------------------------------------------------------- list and get

  async list(scope: ScimScope, query: ScimQuery): Promise<ScimListResponse> {
    const terms = parseScimFilter(query.filter);
    const start = intQuery(query.startIndex);
    const startIndex = start === undefined || start < 1 ? 1 : start;
    const requested = intQuery(query.count);
    const count = requested === undefined ? 20 : Math.min(100, Math.max(0, requested));
    const qb = this.identities(this.dataSource.manager, scope);
    (terms ?? []).forEach((term, n) => this.applyTerm(qb, term, n));
    const total = await qb.getCount();
    let rows: ScimIdentity[] = [];
    if (count > 0 && startIndex <= total) {
      rows = await qb
        .orderBy('i.created_at', 'ASC')
        .addOrderBy('i.id', 'ASC')
        .skip(startIndex - 1)
        .take(count)
        .getMany();
    }
    return {
      schemas: [LIST_RESPONSE_SCHEMA],
      totalResults: total,
      itemsPerPage: count,
      startIndex,
      Resources: rows.map((i) => selectAttributes(this.render(i, scope), query.attributes, query.excludedAttributes)),
    };
  }

  private applyTerm(qb: ReturnType<ScimUsersService['identities']>, term: FilterTerm, n: number): void {
    const p = `f${n}`;
    switch (term.attribute) {
      case 'id':
      case 'externalId':
        qb.andWhere(`i.extern_uid = :${p}`, { [p]: term.value });
        break;
      case 'userName':
        qb.andWhere(`lower(coalesce(i.user_name, u.username)) = lower(:${p})`, { [p]: term.value });
        break;
      case 'emails.value':
        qb.andWhere(`lower(u.email) = lower(:${p})`, { [p]: term.value });
        break;
      case 'active':
        qb.andWhere(`i.active = :${p}`, { [p]: term.value });
        break;
    }
  }

  private async find(scope: ScimScope, id: string, m: EntityManager = this.dataSource.manager): Promise<ScimIdentity> {
    const identity = await this.identities(m, scope).andWhere('i.extern_uid = :id', { id }).getOne();
    if (!identity) throw resourceNotFound(id);
    return identity;
  }

  async get(scope: ScimScope, id: string, query: ScimQuery): Promise<ScimResource> {
    return selectAttributes(this.render(await this.find(scope, id), scope), query.attributes, query.excludedAttributes);
  }

  // ---------------------------------------------------------------- create

  async create(scope: ScimScope, body: Record<string, unknown>): Promise<ScimResource> {
    const input = readCreateBody(body);
    try {
      const identity = await retryOnConflict(() => this.dataSource.transaction((m) => this.createIn(m, scope, input)), RETRY_LOST_RACES);
      return this.render(identity, scope);
    } catch (err) {
      const mapped = this.mapCreateError(err, input, scope);
      if (mapped instanceof ApiError)
        this.logger.log(
          { scope: this.scopeName(scope), extern_uid: input.externUid, outcome: `refused ${mapped.status}` },
          'SCIM user not provisioned',
        );
      throw mapped;
    }
  }

  private mapCreateError(err: unknown, input: CreateInput, scope: ScimScope): unknown {
    if (err instanceof ApiError) return err;
    const index = uniqueViolation(err);
    if (index === SCIM_IDENTITY_INDEX.groupExternUid || index === SCIM_IDENTITY_INDEX.instanceExternUid)
      return uniqueness(`externalId "${input.externUid}" has already been taken`);
    if (index === SCIM_IDENTITY_INDEX.groupUserName || index === SCIM_IDENTITY_INDEX.instanceUserName)
      return uniqueness(`userName "${input.userName}" has already been taken`);
    if (index === SCIM_IDENTITY_INDEX.groupUser || index === SCIM_IDENTITY_INDEX.instanceUser)
      return uniqueness('User has already been taken');
    if (err instanceof RetryTransaction) {
      this.logger.warn({ scope: this.scopeName(scope), extern_uid: input.externUid }, 'SCIM provisioning kept losing races');
      return uniqueness('User has already been taken');
    }
    return err;
  }

  private scopeName(scope: ScimScope): string {
    return scope.group ? `group:${scope.group.full_path}` : 'instance';
  }

  private async createIn(m: EntityManager, scope: ScimScope, input: CreateInput): Promise<ScimIdentity> {
    const scopeKey = scope.group ? String(scope.group.id) : 'instance';
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`scim:${scopeKey}:${input.externUid}`]);
    if (await this.identities(m, scope).andWhere('i.extern_uid = :e', { e: input.externUid }).getExists())
      throw uniqueness(`externalId "${input.externUid}" has already been taken`);
    if (await this.identities(m, scope).andWhere('lower(coalesce(i.user_name, u.username)) = lower(:n)', { n: input.userName }).getExists())
      throw uniqueness(`userName "${input.userName}" has already been taken`);
    let user = await m.getRepository(User).createQueryBuilder('u').where('lower(u.email) = lower(:e)', { e: input.email }).getOne();
    let outcome = 'linked';
    if (user) {
      if (await this.identities(m, scope).andWhere('i.user_id = :uid', { uid: user.id }).getExists())
        throw uniqueness('User has already been taken');
    } else {
      const username = await uniqueUsername((prefix) => this.users.takenNamesWithPrefix(prefix, m), sanitizeUsername(input.userName));
      try {
        user = await this.users.create(
          { username, name: input.displayName, email: input.email, encryptedPassword: null, state: 'active' },
          m,
        );
      } catch (err) {
        // a concurrent request took the username, the namespace path or the email: start again
        if (err instanceof ApiError && err.status === 409) throw new RetryTransaction();
        throw err;
      }
      outcome = 'created';
    }
    const repo = m.getRepository(ScimIdentity);
    const saved = await repo.save(
      repo.create({
        group_id: scope.group ? scope.group.id : null,
        user_id: user.id,
        extern_uid: input.externUid,
        user_name: input.userName,
        given_name: input.givenName,
        family_name: input.familyName,
        active: true,
      }),
    );
    if (scope.group) await this.ensureMembership(m, scope.group.id, user.id);
    const identity = await repo.findOneOrFail({ where: { id: saved.id } });
    identity.user = user;
    this.logger.log({ scope: this.scopeName(scope), extern_uid: input.externUid, user_id: user.id, outcome }, 'SCIM user provisioned');
    return identity;
  }

  // ---------------------------------------------------------------- memberships

  private async defaultAccessLevel(m: EntityManager, groupId: number): Promise<number> {
    const rows: { level: number }[] = await m.query(`SELECT default_access_level AS level FROM scim_group_settings WHERE group_id = $1`, [
      groupId,
    ]);
    return rows.length ? Number(rows[0].level) : SCIM_DEFAULT_ACCESS_LEVEL;
  }

  /** "Adding a membership"; true when something changed. */
  private async ensureMembership(m: EntityManager, groupId: number, userId: number): Promise<boolean> {
    const repo = m.getRepository(Member);
    const existing = await repo.findOne({
      where: { source_type: 'Namespace', source_id: groupId, user_id: userId },
      lock: { mode: 'pessimistic_write' },
    });
    const level = await this.defaultAccessLevel(m, groupId);
    if (!existing) {
      try {
        await this.members.add(
          { sourceType: 'Namespace', sourceId: groupId, userId, accessLevel: level, state: 0, requestedAt: null, expiresAt: null },
          m,
        );
      } catch (err) {
        // someone added the membership concurrently (`Member already exists`): the transaction is void, start again
        if (err instanceof ApiError && err.status === 409) throw new RetryTransaction();
        throw err;
      }
      return true;
    }
    const counts = existing.state === 0 && existing.requested_at === null && (existing.expires_at === null || existing.expires_at > todayUtc());
    if (counts) return false;
    await this.memberships.makeCounting(existing.id, level, m);
    return true;
  }

  /** Removes the user's direct memberships in the group, its subgroups and their projects (last-owner guard first). */
  private async removeMemberships(m: EntityManager, scope: ScimScope, user: User): Promise<boolean> {
    const group = scope.group!;
    const owners = await this.memberships.directOwnership(group.id, user.id, m);
    if (owners.isOwner && !owners.otherOwner)
      throw scimError(400, `Could not remove ${user.name} from ${group.name}. Cannot remove last group owner.`, 'mutability');
    return (await this.memberships.removeUserFromTree(user.id, group.id, m)) > 0;
  }

  // ---------------------------------------------------------------- patch and delete

  async patch(scope: ScimScope, id: string, body: Record<string, unknown>): Promise<void> {
    await this.find(scope, id);
    const outcome = interpretPatch(body);
    try {
      return await retryOnConflict(() => this.patchIn(scope, id, outcome), RETRY_LOST_RACES);
    } catch (err) {
      if (err instanceof RetryTransaction) throw scimError(409, 'Conflicting concurrent changes, try again', 'uniqueness');
      throw err;
    }
  }

  private async patchIn(scope: ScimScope, id: string, outcome: PatchOutcome): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const identity = await this.lockIdentity(m, scope, id);
      const user = (await m.getRepository(User).findOne({ where: { id: identity.user_id }, lock: { mode: 'pessimistic_write' } }))!;
      let changed = false;
      if (outcome.externUid !== undefined && outcome.externUid !== identity.extern_uid) {
        if (await this.identities(m, scope).andWhere('i.extern_uid = :e', { e: outcome.externUid }).getExists())
          throw uniqueness(`externalId "${outcome.externUid}" has already been taken`);
        try {
          await m.query(`UPDATE scim_identities SET extern_uid = $2 WHERE id = $1`, [identity.id, outcome.externUid]);
        } catch (err) {
          if (uniqueViolation(err) !== null) throw uniqueness(`externalId "${outcome.externUid}" has already been taken`);
          throw err;
        }
        changed = true;
      }
      if (outcome.active !== undefined) changed = (await this.setActive(m, scope, identity, user, outcome.active)) || changed;
      if (changed) await m.query(`UPDATE scim_identities SET updated_at = now() WHERE id = $1`, [identity.id]);
      this.logger.log(
        { scope: this.scopeName(scope), extern_uid: identity.extern_uid, user_id: user.id, outcome: changed ? 'updated' : 'unchanged' },
        'SCIM user patched',
      );
    });
  }

  private async lockIdentity(m: EntityManager, scope: ScimScope, id: string): Promise<ScimIdentity> {
    const qb = m.getRepository(ScimIdentity).createQueryBuilder('i').where('i.extern_uid = :id', { id }).setLock('pessimistic_write');
    if (scope.group) qb.andWhere('i.group_id = :gid', { gid: scope.group.id });
    else qb.andWhere('i.group_id IS NULL');
    const identity = await qb.getOne();
    if (!identity) throw resourceNotFound(id);
    return identity;
  }

  /** Brings the identity, memberships (group) or user state (instance) to `active`; true when something changed. */
  private async setActive(m: EntityManager, scope: ScimScope, identity: ScimIdentity, user: User, active: boolean): Promise<boolean> {
    let changed = false;
    if (scope.group) {
      changed = active ? await this.ensureMembership(m, scope.group.id, user.id) : await this.removeMemberships(m, scope, user);
    } else if (active && user.state === 'blocked') {
      await this.users.setState(user.id, 'active', m);
      changed = true;
    } else if (!active && user.state === 'active') {
      await this.users.setState(user.id, 'blocked', m);
      changed = true;
    }
    if (identity.active !== active) {
      await m.query(`UPDATE scim_identities SET active = $2 WHERE id = $1`, [identity.id, active]);
      changed = true;
    }
    return changed;
  }

  async remove(scope: ScimScope, id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const identity = await this.lockIdentity(m, scope, id);
      const user = (await m.getRepository(User).findOne({ where: { id: identity.user_id }, lock: { mode: 'pessimistic_write' } }))!;
      if (scope.group) {
        await this.removeMemberships(m, scope, user);
        await m.query(`DELETE FROM scim_identities WHERE id = $1`, [identity.id]);
      } else if (await this.setActive(m, scope, identity, user, false)) {
        await m.query(`UPDATE scim_identities SET updated_at = now() WHERE id = $1`, [identity.id]);
      }
      this.logger.log(
        { scope: this.scopeName(scope), extern_uid: identity.extern_uid, user_id: user.id, outcome: 'deprovisioned' },
        'SCIM user deleted',
      );
    });
  }
}
