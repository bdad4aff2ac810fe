import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class AuthorizedKeyResponse {
  @ApiProperty({ example: 12, description: 'Key id (gitlab-shell writes `key-<id>` into authorized_keys)' }) id: number;
  @ApiProperty({ example: 'laptop' }) title: string;
  @ApiProperty({ example: '2019-06-27T15:29:02.219Z' }) created_at: string;
  @ApiProperty({ type: String, nullable: true, example: null }) expires_at: string | null;
  @ApiProperty({ example: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI… Alice Example (gitlab.example.com)' }) key: string;
  @ApiProperty({ enum: ['auth_and_signing', 'auth'] }) usage_type: string;
}

export class AuthorizedCertResponse {
  @ApiProperty({ example: true }) success: boolean;
  @ApiProperty({ example: 'grp', description: 'Full path of the group trusting the CA' }) namespace: string;
  @ApiProperty({ example: 'alice' }) username: string;
}

export class ShellResultResponse {
  @ApiProperty({ example: false }) success: boolean;
  @ApiPropertyOptional({
    example: 'Could not find the given key',
    description: 'Present when success is false (except /two_factor_config)',
  })
  message?: string;
}

export class RecoveryCodesResponse {
  @ApiProperty({ example: true }) success: boolean;
  @ApiPropertyOptional({
    type: [String],
    example: ['d93ee7037944afd5'],
    description: '10 codes of 16 lowercase hex characters, when success is true',
  })
  recovery_codes?: string[];
  @ApiPropertyOptional({ example: 'Two-factor authentication is not enabled for this user' }) message?: string;
}

export class PersonalAccessTokenResponse {
  @ApiProperty({ example: true }) success: boolean;
  @ApiPropertyOptional({ example: 'glpat-AbCdEfGhIjKlMnOpQrSt' }) token?: string;
  @ApiPropertyOptional({ type: [String], example: ['read_api', 'read_repository'] }) scopes?: string[];
  @ApiPropertyOptional({ type: String, nullable: true, example: '2026-01-31' }) expires_at?: string | null;
  @ApiPropertyOptional({ example: 'No token name specified' }) message?: string;
}

export class KeyIdRequest {
  @ApiPropertyOptional({ description: 'SSH key id (string from gitlab-shell)', example: '12' }) key_id?: string;
  @ApiPropertyOptional({ description: 'User id (a JSON number, after /discover)', example: 5 }) user_id?: number;
}

export class OtpCheckRequest extends KeyIdRequest {
  @ApiPropertyOptional({ example: '123456' }) otp_attempt?: string;
}

export class PersonalAccessTokenRequest extends KeyIdRequest {
  @ApiPropertyOptional({ example: 'ci' }) name?: string;
  @ApiPropertyOptional({ type: [String], nullable: true, example: ['read_api'] }) scopes?: string[] | null;
  @ApiPropertyOptional({ example: '2026-01-31', description: 'YYYY-MM-DD' }) expires_at?: string;
}

export class EnableTwoFactorRequest {
  @ApiPropertyOptional({ description: 'base32 (A–Z, 2–7), 16–64 characters; absent → 32 random characters' }) otp_secret?: string;
}

export class EnableTwoFactorResponse {
  @ApiProperty({ example: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' }) otp_secret: string;
}

export class CreateSshCertificateRequest {
  @ApiProperty({ example: 'Corporate CA' }) title: string;
  @ApiProperty({ example: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI… ca@example.com', description: 'The CA public key line' }) key: string;
}

export class SshCertificateResponse {
  @ApiProperty({ example: 1 }) id: number;
  @ApiProperty({ example: 'Corporate CA' }) title: string;
  @ApiProperty({ example: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI… ca@example.com' }) key: string;
  @ApiProperty({ example: '2026-01-31T10:00:00.000Z' }) created_at: string;
}
