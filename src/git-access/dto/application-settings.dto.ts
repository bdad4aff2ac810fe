import { ApiProperty } from '@nestjs/swagger';
import { IsIn, Min } from 'class-validator';
import { Bool, Integer, Optional, Str } from '../../common/params';

export class ApplicationSettingsResponse {
  @ApiProperty({ nullable: true, type: String, description: 'null or "" (all), "ssh", "http"' }) enabled_git_access_protocol: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'MB' }) receive_max_input_size: number | null;
  @ApiProperty({ example: 600, description: 'per minute; 0 = unlimited' }) gitlab_shell_operation_limit: number;
  @ApiProperty() error_tracking_enabled: boolean;
  @ApiProperty() require_personal_access_token_expiry: boolean;
}

/** Each setting given is changed; null clears the nullable ones and is invalid for the others. */
export class UpdateApplicationSettingsBody {
  @Optional(Str, { null: 'value', api: { description: 'null or "" (all), "ssh", "http"' } }) @IsIn(['', 'ssh', 'http'])
  enabled_git_access_protocol?: string | null;
  @Optional(Integer(), { null: 'value', api: { description: 'MB; null: no limit' } }) @Min(0) receive_max_input_size?: number | null;
  @Optional(Integer(), { null: 'invalid', api: { description: 'per minute; 0 = unlimited' } }) @Min(0) gitlab_shell_operation_limit?: number;
  @Optional(Bool, { null: 'invalid' }) error_tracking_enabled?: boolean;
  @Optional(Bool, { null: 'invalid' }) require_personal_access_token_expiry?: boolean;
}
