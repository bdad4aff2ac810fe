import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { Bool, INVALID, isHash, NotBlank, Optional, ParamType, Requires, Str } from '../../common/params';
import { PROTECTED_REF_LEVELS } from '../entities/protected-refs.entity';

export class AccessLevelResponse {
  @ApiProperty() id: number;
  @ApiProperty({ nullable: true, type: Number, description: '0, 30, 40 or 60; null for a deploy-key entry' }) access_level: number | null;
  @ApiProperty({ example: 'Maintainers' }) access_level_description: string;
  @ApiProperty({ nullable: true, type: Number }) deploy_key_id: number | null;
}

export class ProtectedBranchResponse {
  @ApiProperty() id: number;
  @ApiProperty({ example: 'main' }) name: string;
  @ApiProperty({ type: [AccessLevelResponse] }) push_access_levels: AccessLevelResponse[];
  @ApiProperty({ type: [AccessLevelResponse] }) merge_access_levels: AccessLevelResponse[];
  @ApiProperty() allow_force_push: boolean;
}

export class ProtectedTagResponse {
  @ApiProperty({ example: 'v*' }) name: string;
  @ApiProperty({ type: [AccessLevelResponse] }) create_access_levels: AccessLevelResponse[];
}

/** One entry of `allowed_to_push` / `allowed_to_merge` / `allowed_to_create`. */
export type AccessLevelSpec = { access_level: number } | { deploy_key_id: number };

const LEVELS = PROTECTED_REF_LEVELS as readonly number[];
const BAD_LEVEL = Symbol('bad level');

/** Digits as text become their number; anything else is kept as sent (and then is not a valid level). */
const digits = (raw: unknown): unknown => (typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw);

function level(raw: unknown): number | undefined | typeof BAD_LEVEL {
  if (raw === undefined || raw === null) return undefined;
  const n = digits(raw);
  return LEVELS.includes(n as number) ? (n as number) : BAD_LEVEL;
}

/** A protected-ref level (0, 30, 40, 60) with `@IsIn`: anything else "does not have a valid value", never "is invalid". */
const ProtectedLevel: ParamType<unknown> = { name: 'Integer', schema: { type: 'integer' }, coerce: digits };

/**
 * `allowed_to_*`: an array (or a form's indexed hash) of `{access_level}` or, where deploy keys may be named,
 * `{deploy_key_id}` entries. A malformed entry makes the whole list invalid; a bad level is reported as
 * `<name>[access_level] does not have a valid value`. The first bad entry is the one reported.
 */
function AccessLevelList(opts: { deployKeys: boolean }): ParamType<AccessLevelSpec[]> {
  const entry = { type: 'object', properties: { access_level: { type: 'integer' } } } as const;
  return {
    name: 'Array[Hash]',
    schema: {
      type: 'array',
      items: opts.deployKeys ? { ...entry, properties: { ...entry.properties, deploy_key_id: { type: 'integer' } } } : entry,
    },
    coerce(raw, at) {
      const list = Array.isArray(raw) ? raw : isHash(raw) ? Object.values(raw) : null;
      if (!list) return INVALID;
      const out: AccessLevelSpec[] = [];
      for (const e of list) {
        if (!isHash(e)) return INVALID;
        if (opts.deployKeys && e.deploy_key_id !== undefined && e.deploy_key_id !== null) {
          const id = typeof e.deploy_key_id === 'number' ? e.deploy_key_id : Number(String(e.deploy_key_id).trim());
          if (!Number.isSafeInteger(id) || id < 1) return INVALID;
          out.push({ deploy_key_id: id });
          continue;
        }
        const l = level(e.access_level);
        if (l === undefined) return INVALID;
        if (l === BAD_LEVEL) {
          at.errors.push(`${at.label}[access_level] does not have a valid value`);
          return out;
        }
        out.push({ access_level: l });
      }
      return out;
    },
  };
}

const LEVEL_API = { enum: [...LEVELS], default: 40 };

/** A blank name counts as missing. */
export class CreateProtectedBranchBody {
  @Requires(Str, { api: { example: 'release/*' } }) @NotBlank({ message: 'is missing' }) name: string;
  @Optional(ProtectedLevel, { api: LEVEL_API }) @IsIn(LEVELS) push_access_level?: number;
  @Optional(ProtectedLevel, { api: LEVEL_API }) @IsIn(LEVELS) merge_access_level?: number;
  @Optional(AccessLevelList({ deployKeys: true })) allowed_to_push?: AccessLevelSpec[];
  @Optional(AccessLevelList({ deployKeys: false })) allowed_to_merge?: AccessLevelSpec[];
  @Optional(Bool, { default: false }) allow_force_push: boolean;
}

export class UpdateProtectedBranchBody {
  @Optional(Bool) allow_force_push?: boolean;
  @Optional(AccessLevelList({ deployKeys: true }), { api: { description: 'product extension: push access levels added to the rule' } })
  allowed_to_push?: AccessLevelSpec[];
}

export class CreateProtectedTagBody {
  @Requires(Str, { api: { example: 'v*' } }) @NotBlank({ message: 'is missing' }) name: string;
  @Optional(ProtectedLevel, { api: LEVEL_API }) @IsIn(LEVELS) create_access_level?: number;
  @Optional(AccessLevelList({ deployKeys: true })) allowed_to_create?: AccessLevelSpec[];
}
