import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ValidateBy } from 'class-validator';
import { LooseText, LooseTextList, Optional, ParamType, Requires, Str } from '../../common/params';
import { ActorId, StorableActorName, StorableActorParamsDto } from '../../identity/dto/actor-params.dto';
import { isValidOtpSecret } from '../totp';

/** A text parameter given as a hash or an array counts as missing (`name is missing`), as when it is absent. */
const TextGiven = () => ValidateBy({ name: 'textGiven', validator: { validate: (v: unknown) => v !== undefined } }, { message: 'is missing' });

/** `GET /authorized_keys`: never a parameter error (an absent or undecodable blob names no key). */
export class AuthorizedKeysQuery {
  @ApiProperty({ required: true })
  @Optional(LooseText, { api: { description: 'Base64 blob of the public key (second field of the key line)' } })
  key?: string;
}

/** `GET /authorized_certs`: never a parameter error (absent values name nothing). */
export class AuthorizedCertsQuery {
  @ApiProperty({ required: true })
  @Optional(LooseText, { api: { description: 'SHA-256 fingerprint of the CA key, with or without `SHA256:`' } })
  key?: string;
  @ApiProperty({ required: true })
  @Optional(LooseText, { api: { description: 'Username or primary email' } })
  user_identifier?: string;
}

/** An actor id in a query string, which carries text (the digits of the id). */
const QueryActorId: ParamType<number> = { ...ActorId, schema: { type: 'string' } };

/** `GET /discover`: the first of these present names the user (`identifier` is not read here). */
export class DiscoverQuery {
  @Optional(QueryActorId, { api: { description: 'SSH key id', example: '12' } }) key_id?: number;
  @Optional(QueryActorId, { api: { description: 'User id', example: '5' } }) user_id?: number;
  @Optional(StorableActorName) username?: string;
  @Optional(StorableActorName, { api: { description: 'Kerberos principal' } }) krb5principal?: string;
}

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

/** The actor of the 2FA and token routes; never a parameter error (an actor that names nobody is a business failure). */
export class KeyIdRequest extends StorableActorParamsDto {
  @Optional(ActorId, { api: { description: 'SSH key id (string from gitlab-shell)', example: '12' } }) declare key_id?: number;
  @Optional(ActorId, { api: { description: 'User id (a JSON number, after /discover)', example: 5 } }) declare user_id?: number;
}

export class OtpCheckRequest extends KeyIdRequest {
  @Optional(LooseText, { api: { example: '123456' } }) otp_attempt?: string;
}

export class PersonalAccessTokenRequest extends KeyIdRequest {
  @Optional(LooseText, { api: { example: 'ci' } }) name?: string;
  @Optional(LooseTextList, { api: { nullable: true, example: ['read_api'] } }) scopes?: string[];
  @Optional(LooseText, { api: { example: '2026-01-31', description: 'YYYY-MM-DD' } }) expires_at?: string;
}

export class EnableTwoFactorRequest {
  @Optional(Str, { api: { description: 'base32 (A–Z, 2–7), 16–64 characters; absent → 32 random characters' } })
  @ValidateBy({ name: 'otpSecret', validator: { validate: (v: unknown) => typeof v === 'string' && isValidOtpSecret(v) } })
  otp_secret?: string;
}

export class EnableTwoFactorResponse {
  @ApiProperty({ example: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' }) otp_secret: string;
}

/** Text (numbers and booleans as their text); the model rules (blank, length, key format) are the service's. */
export class CreateSshCertificateRequest {
  @Requires(LooseText, { api: { example: 'Corporate CA' } }) @TextGiven() title: string;
  @Requires(LooseText, { api: { example: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI… ca@example.com', description: 'The CA public key line' } })
  @TextGiven()
  key: string;
}

export class SshCertificateResponse {
  @ApiProperty({ example: 1 }) id: number;
  @ApiProperty({ example: 'Corporate CA' }) title: string;
  @ApiProperty({ example: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI… ca@example.com' }) key: string;
  @ApiProperty({ example: '2026-01-31T10:00:00.000Z' }) created_at: string;
}
