import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class GitalyInfoDto {
  @ApiProperty({ example: 'tcp://gitaly.example:8075' }) address: string;
  @ApiProperty({ example: '', description: 'empty string when the storage has no token' }) token: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: {} }) features: Record<string, string>;
}

export class GitalyRepositoryDto {
  @ApiProperty({ example: 'default' }) storage_name: string;
  @ApiProperty({ example: '@hashed/6b/86/6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b.git' }) relative_path: string;
  @ApiProperty({ example: '' }) git_object_directory: string;
  @ApiProperty({ type: [String], example: [] }) git_alternate_object_directories: string[];
  @ApiProperty({ example: 'project-1' }) gl_repository: string;
  @ApiProperty({ example: 'group/project' }) gl_project_path: string;
}

export class ProjectInfoDto {
  @ApiProperty({ example: 1 }) project_id: number;
  @ApiProperty({ type: GitalyInfoDto }) gitaly_info: GitalyInfoDto;
  @ApiProperty({ type: GitalyRepositoryDto }) gitaly_repository: GitalyRepositoryDto;
  @ApiProperty({ example: 'main' }) default_branch: string;
}

export class AgentInfoDto extends ProjectInfoDto {
  @ApiProperty({ example: 1 }) agent_id: number;
  @ApiProperty({ example: 'my-agent' }) agent_name: string;
}

export class AuthorizedAgentDto {
  @ApiProperty({ example: 1 }) id: number;
  @ApiProperty({ type: 'object', properties: { id: { type: 'integer' } }, example: { id: 1 } }) config_project: { id: number };
}

export class AuthorizedUserDto {
  @ApiProperty({ example: 1 }) id: number;
  @ApiProperty({ example: 'jane' }) username: string;
}

export class AuthorizeProxyUserResponse {
  @ApiProperty({ type: AuthorizedAgentDto }) agent: AuthorizedAgentDto;
  @ApiProperty({ type: AuthorizedUserDto }) user: AuthorizedUserDto;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { user: { projects: [{ id: 1, roles: ['guest', 'reporter', 'developer'] }], groups: [] } },
    description: '`{"agent":{}}` or `{"user":{"projects":[…],"groups":[…]}}`',
  })
  access_as: Record<string, unknown>;
}

export class UuidDto {
  @ApiProperty({ example: '9fae6644-1de7-5783-be4b-ce0df968065a' }) uuid: string;
}

export class PolicyConfigurationItem {
  @ApiProperty({ example: '30 2 * * *' }) cadence: string;
  @ApiProperty({ type: [String] }) namespaces: string[];
  @ApiProperty({ example: '2022-06-02T05:36:26+00:00' }) updated_at: string;
}

export class PoliciesConfigurationDto {
  @ApiProperty({ type: [PolicyConfigurationItem] }) configurations: PolicyConfigurationItem[];
}

export class ScanExecutionPolicyItem {
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ example: '---\nname: Policy\n' }) yaml: string;
  @ApiProperty({ example: '2022-06-02T05:36:26+00:00' }) updated_at: string;
}

export class ScanExecutionPoliciesDto {
  @ApiProperty({ type: [ScanExecutionPolicyItem] }) policies: ScanExecutionPolicyItem[];
}

export class ClusterAgentDto {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ type: 'object', properties: { id: { type: 'integer' } }, example: { id: 1 } }) config_project: { id: number };
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ nullable: true, type: Number }) created_by_user_id: number | null;
}

export class AgentTokenDto {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty() agent_id: number;
  @ApiProperty({ enum: ['active', 'revoked'] }) status: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ nullable: true, type: Number }) created_by_user_id: number | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) last_used_at: string | null;
}

export class NewAgentTokenDto extends AgentTokenDto {
  @ApiProperty({ example: 'glagent-…', description: 'shown once' }) token: string;
}

export class PolicyConfigurationDto {
  @ApiProperty() id: number;
  @ApiPropertyOptional() project_id?: number;
  @ApiPropertyOptional() namespace_id?: number;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } }) scan_execution_policy: Record<string, unknown>[];
  @ApiProperty({ format: 'date-time' }) policy_last_updated_at: string;
}

export class VulnerabilityDto {
  @ApiProperty() id: number;
  @ApiProperty() uuid: string;
  @ApiProperty() title: string;
  @ApiProperty() state: string;
  @ApiProperty() severity: string;
  @ApiProperty() confidence: string;
  @ApiProperty() report_type: string;
  @ApiProperty({ nullable: true, type: Number }) cluster_agent_id: number | null;
  @ApiProperty() resolved_on_default_branch: boolean;
  @ApiProperty({ nullable: true, type: Number }) author_id: number | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) resolved_at: string | null;
}
