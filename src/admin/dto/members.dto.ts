import { IsIn } from 'class-validator';
import { Bool, Integer, IsoDate, Optional, Requires, Str } from '../../common/params';
import { MEMBER_ACCESS_LEVELS } from '../../namespaces/entities/member.entity';
import { Id } from './users.dto';

/** Access levels per source: Minimal Access (5) exists only for groups. */
export const GROUP_LEVELS = MEMBER_ACCESS_LEVELS;
export const PROJECT_LEVELS = MEMBER_ACCESS_LEVELS.filter((l) => l >= 10);
export const MEMBERSHIP_STATES = ['active', 'awaiting'] as const;

/** The parameters of a new membership, with the levels its source allows. */
function addMemberBody(levels: number[]) {
  class AddMember {
    @Requires(Id) user_id: number;
    @Requires(Integer(), { api: { enum: levels } }) @IsIn(levels) access_level: number;
    @Optional(IsoDate, { null: 'value', api: { example: '2027-01-31', description: 'today or later' } }) expires_at?: string | null;
    @Optional(Str, { api: { enum: [...MEMBERSHIP_STATES], description: 'product extension' } }) @IsIn(MEMBERSHIP_STATES) state?: (typeof MEMBERSHIP_STATES)[number];
    @Optional(Bool, { api: { description: 'product extension: an access request' } }) requested?: boolean;
  }
  return AddMember;
}

function updateMemberBody(levels: number[]) {
  class UpdateMember {
    @Optional(Integer(), { api: { enum: levels } }) @IsIn(levels) access_level?: number;
    @Optional(IsoDate, { null: 'value', api: { example: '2027-01-31', description: 'today or later; null clears' } }) expires_at?: string | null;
  }
  return UpdateMember;
}

export class AddGroupMemberBody extends addMemberBody(GROUP_LEVELS) {}
export class AddProjectMemberBody extends addMemberBody(PROJECT_LEVELS) {}
export class UpdateGroupMemberBody extends updateMemberBody(GROUP_LEVELS) {}
export class UpdateProjectMemberBody extends updateMemberBody(PROJECT_LEVELS) {}

export type AddMemberInput = AddGroupMemberBody | AddProjectMemberBody;
export type UpdateMemberInput = UpdateGroupMemberBody | UpdateProjectMemberBody;
