import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { conflict, modelError, notFound } from '../common/api-error';
import { todayUtc } from '../common/coerce';
import { uniqueViolation } from '../common/db-errors';
import { PageRequest, Paginated } from '../common/pagination';
import { RawParams } from '../common/params.decorator';
import { User } from '../identity/entities/user.entity';
import { Member, MEMBER_ACCESS_LEVELS, MEMBER_STATE, MemberSourceType } from '../namespaces/entities/member.entity';
import { MembersService } from '../namespaces/members.service';
import { AdminLookupService } from './admin-lookup.service';
import { ParamReader } from './admin-params';
import { AdminPresenter } from './admin-presenter.service';
import { MemberEntity } from './dto/admin-responses.dto';

/** Access levels per source: Minimal Access (5) exists only for groups. */
const LEVELS: Record<MemberSourceType, number[]> = {
  Namespace: MEMBER_ACCESS_LEVELS,
  Project: MEMBER_ACCESS_LEVELS.filter((l) => l >= 10),
};

export interface MemberSource {
  type: MemberSourceType;
  /** Resolves `:id` inside the transaction (404 Group / Project Not Found). */
  find: (m: EntityManager) => Promise<{ id: number }>;
}

/** Direct memberships of groups and projects. */
@Injectable()
export class AdminMembersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly members: MembersService,
    private readonly lookup: AdminLookupService,
    private readonly presenter: AdminPresenter,
  ) {}

  /** A membership's `expires_at`: a date, today or later (GitLab refuses past dates for memberships). */
  private expiry(r: ParamReader): string | null | undefined {
    return r.date('expires_at');
  }

  private checkExpiry(expiresAt: string | null | undefined): void {
    if (expiresAt && expiresAt < todayUtc()) throw modelError({ expires_at: ['cannot be a date in the past'] });
  }

  async add(source: MemberSource, params: RawParams): Promise<MemberEntity> {
    const r = new ParamReader(params).requireAll('user_id', 'access_level');
    const userId = r.id('user_id');
    const level = r.intOneOf('access_level', LEVELS[source.type]);
    const expiresAt = this.expiry(r);
    const state = r.oneOf('state', ['active', 'awaiting'] as const);
    const requested = r.bool('requested');
    r.check();
    this.checkExpiry(expiresAt);
    try {
      return await this.dataSource.transaction(async (m) => {
        const { id: sourceId } = await source.find(m);
        const user = await this.lookup.userById(userId!, m);
        const repo = m.getRepository(Member);
        const existing = await repo.findOne({ where: { source_type: source.type, source_id: sourceId, user_id: user.id } });
        const values = {
          access_level: level!,
          expires_at: expiresAt ?? null,
          state: state === 'awaiting' ? MEMBER_STATE.awaiting : MEMBER_STATE.active,
          requested_at: requested ? new Date() : null,
        };
        let member: Member;
        if (existing && existing.requested_at !== null && !requested) {
          // adding a user who requested access grants the request (GitLab's add_member)
          await repo.update(existing.id, values);
          member = (await repo.findOne({ where: { id: existing.id } }))!;
        } else {
          if (existing) throw conflict('Member already exists');
          member = await this.members.add(
            { sourceType: source.type, sourceId, userId: user.id, accessLevel: values.access_level, expiresAt: values.expires_at, state: values.state, requestedAt: values.requested_at },
            m,
          );
        }
        return this.presenter.member(member, user);
      });
    } catch (err) {
      if (uniqueViolation(err) !== null) throw conflict('Member already exists');
      throw err;
    }
  }

  private async direct(m: EntityManager, type: MemberSourceType, sourceId: number, userIdText: string): Promise<{ member: Member; user: User }> {
    const userId = /^\d+$/.test(userIdText) && Number.isSafeInteger(Number(userIdText)) ? Number(userIdText) : null;
    const member =
      userId === null
        ? null
        : await m
            .getRepository(Member)
            .createQueryBuilder('m')
            .leftJoinAndSelect('m.user', 'u')
            .where('m.source_type = :type AND m.source_id = :sourceId AND m.user_id = :userId AND m.requested_at IS NULL', { type, sourceId, userId })
            .getOne();
    if (!member || !member.user) throw notFound('Member');
    return { member, user: member.user };
  }

  async update(source: MemberSource, userId: string, params: RawParams): Promise<MemberEntity> {
    const r = new ParamReader(params);
    const level = r.intOneOf('access_level', LEVELS[source.type]);
    const expiresAt = this.expiry(r);
    r.check();
    this.checkExpiry(expiresAt);
    return this.dataSource.transaction(async (m) => {
      const { id: sourceId } = await source.find(m);
      const { member, user } = await this.direct(m, source.type, sourceId, userId);
      const changes: Partial<Pick<Member, 'access_level' | 'expires_at'>> = {};
      if (level !== undefined) changes.access_level = level;
      if (expiresAt !== undefined) changes.expires_at = expiresAt;
      if (Object.keys(changes).length) await m.getRepository(Member).update(member.id, changes);
      return this.presenter.member({ ...member, ...changes } as Member, user);
    });
  }

  async remove(source: MemberSource, userId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const { id: sourceId } = await source.find(m);
      const { member } = await this.direct(m, source.type, sourceId, userId);
      await m.getRepository(Member).delete(member.id);
    });
  }

  async get(source: MemberSource, userId: string): Promise<MemberEntity> {
    const m = this.dataSource.manager;
    const { id: sourceId } = await source.find(m);
    const { member, user } = await this.direct(m, source.type, sourceId, userId);
    return this.presenter.member(member, user);
  }

  async list(source: MemberSource, page: PageRequest): Promise<Paginated<MemberEntity>> {
    const m = this.dataSource.manager;
    const { id: sourceId } = await source.find(m);
    const [members, total] = await m
      .getRepository(Member)
      .createQueryBuilder('m')
      .innerJoinAndSelect('m.user', 'u')
      .where('m.source_type = :type AND m.source_id = :sourceId AND m.requested_at IS NULL', { type: source.type, sourceId })
      .orderBy('m.id', 'ASC')
      .skip(page.offset)
      .take(page.perPage)
      .getManyAndCount();
    return new Paginated(
      members.map((mb) => this.presenter.member(mb, mb.user!)),
      page,
      total,
    );
  }
}
