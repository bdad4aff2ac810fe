import { IsIn } from 'class-validator';
import { Optional, Requires, Str } from '../../common/params';
import { VISIBILITY, VisibilityName } from '../../namespaces/entities/namespace.entity';
import { Id } from './users.dto';

export const VISIBILITY_NAMES = Object.keys(VISIBILITY) as VisibilityName[];
export const GIT_ACCESS_PROTOCOLS = ['all', 'ssh', 'http'] as const;

export class CreateGroupBody {
  @Requires(Str, { api: { example: 'Group' } }) name: string;
  @Requires(Str, { api: { example: 'grp' } }) path: string;
  @Optional(Id) parent_id?: number;
  @Optional(Str, { api: { enum: VISIBILITY_NAMES } }) @IsIn(VISIBILITY_NAMES) visibility?: VisibilityName;
  @Optional(Str, { api: { enum: [...GIT_ACCESS_PROTOCOLS] } }) @IsIn(GIT_ACCESS_PROTOCOLS) enabled_git_access_protocol?: (typeof GIT_ACCESS_PROTOCOLS)[number];
}

export class UpdateGroupBody {
  @Optional(Str) name?: string;
  @Optional(Str) path?: string;
  @Optional(Str, { api: { enum: VISIBILITY_NAMES } }) @IsIn(VISIBILITY_NAMES) visibility?: VisibilityName;
  @Optional(Str, { api: { enum: [...GIT_ACCESS_PROTOCOLS] } }) @IsIn(GIT_ACCESS_PROTOCOLS) enabled_git_access_protocol?: (typeof GIT_ACCESS_PROTOCOLS)[number];
}
