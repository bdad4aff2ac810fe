import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Request of `POST /allowed`; documentation only, parameters are coerced by hand. */
export class AllowedRequest {
  @ApiPropertyOptional({ enum: ['git-upload-pack', 'git-receive-pack', 'git-upload-archive'] }) action?: string;
  @ApiPropertyOptional({ example: 'grp/priv.git', description: 'As typed by the user (gitlab-shell) or the absolute disk path (Gitaly)' }) project?: string;
  @ApiPropertyOptional({ example: 'project-1' }) gl_repository?: string;
  @ApiPropertyOptional({ example: '_any', description: '`_any` or newline-separated `<oldrev> <newrev> <ref>` lines' }) changes?: string;
  @ApiPropertyOptional({ enum: ['ssh', 'http', 'web'] }) protocol?: string;
  @ApiPropertyOptional({ oneOf: [{ type: 'string' }, { type: 'integer' }] }) key_id?: string | number;
  @ApiPropertyOptional({ oneOf: [{ type: 'string' }, { type: 'integer' }] }) user_id?: string | number;
  @ApiPropertyOptional() username?: string;
  @ApiPropertyOptional() krb5principal?: string;
  @ApiPropertyOptional() identifier?: string;
  @ApiPropertyOptional() namespace_path?: string;
  @ApiPropertyOptional() check_ip?: string;
  @ApiPropertyOptional({ description: 'JSON object (or a string containing one) of quarantine directories' }) env?: string;
  @ApiPropertyOptional() relative_path?: string;
  @ApiPropertyOptional({ type: [String], nullable: true }) push_options?: string[] | null;
  @ApiPropertyOptional({ nullable: true, description: 'base64 of a JSON object' }) gitaly_client_context_bin?: string | null;
}

export class GitalyRepository {
  @ApiProperty({ example: 'default' }) storage_name: string;
  @ApiProperty({ example: '@hashed/4e/07/4e07408562bedb8b60ce05c1decfe3ad16b72230967de01f640b7e4729b49fce.git' }) relative_path: string;
  @ApiProperty({ example: '' }) git_object_directory: string;
  @ApiProperty({ type: [String] }) git_alternate_object_directories: string[];
  @ApiProperty({ example: 'project-3' }) gl_repository: string;
  @ApiProperty({ example: 'grp/priv' }) gl_project_path: string;
}

export class GitalyConnection {
  @ApiProperty({ type: GitalyRepository }) repository: GitalyRepository;
  @ApiProperty({ example: 'tcp://gitaly.test:8075' }) address: string;
  @ApiProperty({ example: '' }) token: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: {} }) features: Record<string, string>;
}

export class AllowedResponse {
  @ApiProperty({ example: true }) status: boolean;
  @ApiProperty({ example: 'project-3' }) gl_repository: string;
  @ApiProperty({ example: 'grp/priv' }) gl_project_path: string;
  @ApiProperty({ example: 3 }) gl_project_id: number;
  @ApiProperty({ example: 1 }) gl_root_namespace_id: number;
  @ApiProperty({ example: 'user-5', description: '`""` without a user' }) gl_id: string;
  @ApiPropertyOptional({ example: 'alice', description: 'omitted without a user' }) gl_username?: string;
  @ApiProperty({ type: [String] }) git_config_options: string[];
  @ApiProperty({ type: GitalyConnection }) gitaly: GitalyConnection;
  @ApiProperty({ type: [String] }) gl_console_messages: string[];
  @ApiProperty({ example: false }) need_audit: boolean;
  @ApiPropertyOptional({ enum: ['key', 'deploy_key'], description: 'omitted without a key' }) gl_key_type?: string;
  @ApiPropertyOptional({ example: 12, description: 'a JSON number; omitted without a key' }) gl_key_id?: number;
}

export class StatusMessage {
  @ApiProperty({ example: false }) status: boolean;
  @ApiProperty({ example: "The project you were looking for could not be found or you don't have permission to view it." }) message: string;
}

/** A denial of `/allowed` (`status:false`) or the authentication failure (`message` only). */
export class DeniedBody {
  @ApiPropertyOptional({ example: false }) status?: boolean;
  @ApiProperty({ example: 'You are not allowed to download code from this project.' }) message: string;
}

/** 400 of the audit event: Grape's `{"error":…}`, `{"status":false,"message":…}` or `{"message":…}`. */
export class AuditBadRequestBody {
  @ApiPropertyOptional({ example: 'action is missing' }) error?: string;
  @ApiPropertyOptional({ example: false }) status?: boolean;
  @ApiPropertyOptional({ example: 'No valid action specified' }) message?: string;
}

export class MessageBody {
  @ApiProperty({ example: '400 Bad request - Invalid GL Repository "project-foo"' }) message: string;
}

export class PreReceiveResponse {
  @ApiProperty({ example: true }) reference_counter_increased: boolean;
}

export class PostReceiveMessageDto {
  @ApiProperty({ example: 'To create a merge request for feature, visit:\n  http://gitlab.test/grp/priv/-/merge_requests/new?merge_request%5Bsource_branch%5D=feature' })
  message: string;
  @ApiProperty({ enum: ['basic', 'alert'] }) type: string;
}

export class PostReceiveResponse {
  @ApiProperty({ type: [PostReceiveMessageDto] }) messages: PostReceiveMessageDto[];
  @ApiProperty({ example: true }) reference_counter_decreased: boolean;
}
