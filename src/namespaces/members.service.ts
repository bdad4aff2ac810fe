import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { conflict } from '../common/api-error';
import { uniqueViolation } from '../common/db-errors';
import { Member, MemberSourceType } from './entities/member.entity';

export interface AddMemberInput {
  sourceType: MemberSourceType;
  sourceId: number;
  userId: number;
  accessLevel: number;
  expiresAt?: string | null;
  state?: number;
  requestedAt?: Date | null;
}

@Injectable()
export class MembersService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Adds a membership; an existing one → 409 `Member already exists`. */
  async add(input: AddMemberInput, manager: EntityManager = this.dataSource.manager): Promise<Member> {
    const repo = manager.getRepository(Member);
    if (await repo.exists({ where: { source_type: input.sourceType, source_id: input.sourceId, user_id: input.userId } }))
      throw conflict('Member already exists');
    try {
      return await repo.save(
        repo.create({
          source_type: input.sourceType,
          source_id: input.sourceId,
          user_id: input.userId,
          access_level: input.accessLevel,
          expires_at: input.expiresAt ?? null,
          state: input.state ?? 0,
          requested_at: input.requestedAt ?? null,
        }),
      );
    } catch (err) {
      if (uniqueViolation(err) !== null) throw conflict('Member already exists');
      throw err;
    }
  }
}
