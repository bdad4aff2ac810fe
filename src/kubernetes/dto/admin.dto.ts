import { Type } from 'class-transformer';
import { ArrayNotEmpty, IsIn, IsString } from 'class-validator';
import { Bool, FreeArray, HashArray, Integer, KeepsRaw, MapOf, Nested, NotBlank, Optional, Requires, Str } from '../../common/params';

export class CreateClusterAgentBody {
  @Requires(Str, { api: { example: 'my-agent' } }) name: string;
  @Optional(Integer(), { api: { description: 'product extension: the creator (default: the calling admin)' } }) created_by_user_id?: number;
}

export class CreateAgentTokenBody {
  @Requires(Str) name: string;
  @Optional(Str) description?: string;
}

export const SCANS = [
  'dast',
  'secret_detection',
  'cluster_image_scanning',
  'container_scanning',
  'sast',
  'dependency_scanning',
  'sast_iac',
] as const;
export const RULE_TYPES = ['pipeline', 'schedule', 'agent'] as const;

export class PolicyActionInput {
  @Requires(Str, { api: { enum: [...SCANS] } }) @IsIn(SCANS) scan: string;
}

export class PolicyAgentScopeInput {
  @Optional(FreeArray, { api: { items: { type: 'string' } } }) @IsString({ each: true }) namespaces?: string[];
}

export class PolicyRuleInput {
  @Requires(Str, { api: { enum: [...RULE_TYPES] } }) @IsIn(RULE_TYPES) type: string;
  @Optional(Str, { requiredWhen: (d) => d.type === 'schedule', api: { description: 'required for schedule rules', example: '30 2 * * *' } })
  cadence?: string;
  @Optional(MapOf(Nested(() => PolicyAgentScopeInput)), { api: { description: 'agent name → {namespaces}' } }) agents?: Record<
    string,
    PolicyAgentScopeInput
  >;
  @Optional(FreeArray, { api: { items: { type: 'string' } } }) @IsString({ each: true }) branches?: string[];
}

/** Stored as sent (`rawOf`), with `enabled` as read. */
@KeepsRaw()
export class ScanExecutionPolicyInput {
  @Requires(Str) @NotBlank() name: string;
  @Optional(Str) description?: string;
  @Requires(Bool) enabled: boolean;
  @Requires(HashArray()) @Type(() => PolicyActionInput) @ArrayNotEmpty() actions: PolicyActionInput[];
  @Requires(HashArray()) @Type(() => PolicyRuleInput) @ArrayNotEmpty() rules: PolicyRuleInput[];
}

export class PolicyConfigurationBody {
  @Requires(HashArray({ storable: true })) @Type(() => ScanExecutionPolicyInput) scan_execution_policy: ScanExecutionPolicyInput[];
}
