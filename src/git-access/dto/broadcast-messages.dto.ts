import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { Bool, NotBlank, Optional, ParamType, Requires, Str, Timestamp } from '../../common/params';
import { intParam } from '../../common/coerce';

export class BroadcastMessageResponse {
  @ApiProperty() id: number;
  @ApiProperty() message: string;
  @ApiProperty() starts_at: string;
  @ApiProperty() ends_at: string;
  @ApiProperty() active: boolean;
  @ApiProperty({ type: [Number] }) target_access_levels: number[];
  @ApiProperty({ nullable: true, type: String }) target_path: string | null;
  @ApiProperty({ enum: ['banner', 'notification'] }) broadcast_type: string;
  @ApiProperty() dismissable: boolean;
  @ApiProperty() show_in_cli: boolean;
}

export const BROADCAST_TYPES = ['banner', 'notification'] as const;
const MEMBER_LEVELS = [10, 20, 30, 40, 50];

/** Member levels: one value or a list (null entries dropped); a value that is no level "does not have a valid value". */
const LevelList: ParamType<number[]> = {
  name: 'Array[Integer]',
  schema: { type: 'array', items: { type: 'integer' } },
  coerce: (raw) =>
    (Array.isArray(raw) ? raw : [raw]).flatMap((v) => {
      const n = intParam(v);
      return n === undefined ? [] : [typeof n === 'number' ? n : NaN];
    }),
};

/** A blank message counts as missing; blank or null dates mean "now" and "in an hour". */
export class CreateBroadcastMessageBody {
  @Requires(Str) @NotBlank({ message: 'is missing' }) message: string;
  @Optional(Timestamp, { null: 'value' }) starts_at?: Date | null;
  @Optional(Timestamp, { null: 'value' }) ends_at?: Date | null;
  @Optional(Str, { api: { enum: [...BROADCAST_TYPES], default: 'banner' } }) @IsIn(BROADCAST_TYPES) broadcast_type?: (typeof BROADCAST_TYPES)[number];
  @Optional(Str, { api: { example: '/grp/*', description: '"" targets every path' } }) target_path?: string;
  @Optional(LevelList, { api: { example: [30, 40], description: 'member levels 10, 20, 30, 40, 50' } }) @IsIn(MEMBER_LEVELS, { each: true }) target_access_levels?: number[];
  @Optional(Bool, { api: { default: true } }) show_in_cli?: boolean;
  @Optional(Bool, { api: { default: false } }) dismissable?: boolean;
}
