import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class DeployKeyResponse {
  @ApiProperty({ example: 12 }) id: number;
  @ApiProperty({ example: 'deploy' }) title: string;
  @ApiProperty({ example: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI… deploy@host' }) key: string;
  @ApiProperty({ example: '3f:a2:…' }) fingerprint: string;
  @ApiProperty({ example: 'a1b2c3…' }) fingerprint_sha256: string;
  @ApiProperty({ example: 'auth_and_signing' }) usage_type: string;
  @ApiProperty({ example: '2026-01-01T00:00:00.000Z' }) created_at: string;
  @ApiProperty({ nullable: true, type: String, example: null }) expires_at: string | null;
}

export class ProjectDeployKeyResponse extends DeployKeyResponse {
  @ApiProperty({ example: false }) can_push: boolean;
}

export class CreateDeployKeyRequest {
  @ApiProperty() title: string;
  @ApiProperty() key: string;
  @ApiPropertyOptional({ type: String, nullable: true }) expires_at?: string | null;
  @ApiPropertyOptional({ description: 'ext: the creator; default the calling admin' }) user_id?: number;
}

export class CreateProjectDeployKeyRequest extends CreateDeployKeyRequest {
  @ApiPropertyOptional() can_push?: boolean;
}

export class UpdateProjectDeployKeyRequest {
  @ApiPropertyOptional() can_push?: boolean;
  @ApiPropertyOptional() title?: string;
}

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

export class AccessLevelEntry {
  @ApiPropertyOptional({ enum: [0, 30, 40, 60] }) access_level?: number;
  @ApiPropertyOptional() deploy_key_id?: number;
}

export class CreateProtectedBranchRequest {
  @ApiProperty({ example: 'release/*' }) name: string;
  @ApiPropertyOptional({ enum: [0, 30, 40, 60], default: 40 }) push_access_level?: number;
  @ApiPropertyOptional({ enum: [0, 30, 40, 60], default: 40 }) merge_access_level?: number;
  @ApiPropertyOptional({ default: false }) allow_force_push?: boolean;
  @ApiPropertyOptional({ type: [AccessLevelEntry] }) allowed_to_push?: AccessLevelEntry[];
  @ApiPropertyOptional({ type: [AccessLevelEntry] }) allowed_to_merge?: AccessLevelEntry[];
}

export class UpdateProtectedBranchRequest {
  @ApiPropertyOptional() allow_force_push?: boolean;
  @ApiPropertyOptional({ type: [AccessLevelEntry], description: 'ext: push access levels added to the rule' }) allowed_to_push?: AccessLevelEntry[];
}

export class ProtectedTagResponse {
  @ApiProperty({ example: 'v*' }) name: string;
  @ApiProperty({ type: [AccessLevelResponse] }) create_access_levels: AccessLevelResponse[];
}

export class CreateProtectedTagRequest {
  @ApiProperty({ example: 'v*' }) name: string;
  @ApiPropertyOptional({ enum: [0, 30, 40, 60], default: 40 }) create_access_level?: number;
  @ApiPropertyOptional({ type: [AccessLevelEntry] }) allowed_to_create?: AccessLevelEntry[];
}

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

export class CreateBroadcastMessageRequest {
  @ApiProperty() message: string;
  @ApiPropertyOptional() starts_at?: string;
  @ApiPropertyOptional() ends_at?: string;
  @ApiPropertyOptional({ enum: ['banner', 'notification'], default: 'banner' }) broadcast_type?: string;
  @ApiPropertyOptional({ example: '/grp/*' }) target_path?: string;
  @ApiPropertyOptional({ type: [Number], example: [30, 40] }) target_access_levels?: number[];
  @ApiPropertyOptional({ default: true }) show_in_cli?: boolean;
  @ApiPropertyOptional({ default: false }) dismissable?: boolean;
}

export class ApplicationSettingsResponse {
  @ApiProperty({ nullable: true, type: String, description: 'null or "" (all), "ssh", "http"' }) enabled_git_access_protocol: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'MB' }) receive_max_input_size: number | null;
  @ApiProperty({ example: 600, description: 'per minute; 0 = unlimited' }) gitlab_shell_operation_limit: number;
  @ApiProperty() error_tracking_enabled: boolean;
  @ApiProperty() require_personal_access_token_expiry: boolean;
}

export class UpdateApplicationSettingsRequest {
  @ApiPropertyOptional({ nullable: true, type: String, description: 'null or "" (all), "ssh", "http"' }) enabled_git_access_protocol?: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) receive_max_input_size?: number | null;
  @ApiPropertyOptional() gitlab_shell_operation_limit?: number;
  @ApiPropertyOptional() error_tracking_enabled?: boolean;
  @ApiPropertyOptional() require_personal_access_token_expiry?: boolean;
}
