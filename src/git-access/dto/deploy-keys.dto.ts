import { ApiProperty } from '@nestjs/swagger';
import { Bool, Int64Id, NotBlank, Optional, Requires, Str, Timestamp } from '../../common/params';

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

/** A blank title or key counts as missing. */
export class CreateDeployKeyBody {
  @Requires(Str, { api: { example: 'deploy' } }) @NotBlank({ message: 'is missing' }) title: string;
  @Requires(Str, { api: { example: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI… deploy@host' } }) @NotBlank({ message: 'is missing' }) key: string;
  @Optional(Timestamp, { null: 'value' }) expires_at?: Date | null;
  @Optional(Int64Id, { api: { description: 'product extension: the creator (default: the calling admin); unknown → 404 User Not Found' } })
  user_id?: number;
}

export class CreateProjectDeployKeyBody extends CreateDeployKeyBody {
  @Optional(Bool, { default: false }) can_push: boolean;
}

export class UpdateProjectDeployKeyBody {
  @Optional(Bool) can_push?: boolean;
  @Optional(Str) title?: string;
}
