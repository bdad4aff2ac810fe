import { messageSchema } from '../common/api-error';
import { Controller, Get, Header, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ShellAuth } from '../auth/auth.decorators';
import { Params } from '../common/params.decorator';
import { AuthorizedKeysService } from './authorized-keys.service';
import {
  AuthorizedCertResponse,
  AuthorizedCertsQuery,
  AuthorizedKeyResponse,
  AuthorizedKeysQuery,
  DiscoverQuery,
  KeyIdRequest,
  OtpCheckRequest,
  PersonalAccessTokenRequest,
  PersonalAccessTokenResponse,
  RecoveryCodesResponse,
  ShellResultResponse,
} from './dto/keys.dto';
import { ShellPersonalAccessTokenService } from './shell-personal-access-token.service';
import { ShellResult, TwoFactorService } from './two-factor.service';

/** Keys family of gitlab-shell / gitlab-sshd: key and certificate lookups, discover, 2FA and tokens. */
@ApiTags('GitLab Shell and Gitaly: keys and two-factor')
@ShellAuth()
@Controller('api/v4/internal')
export class KeysInternalController {
  constructor(
    private readonly keys: AuthorizedKeysService,
    private readonly twoFactor: TwoFactorService,
    private readonly tokens: ShellPersonalAccessTokenService,
  ) {}

  @Get('authorized_keys')
  @ApiOperation({
    operationId: 'internalAuthorizedKeys',
    summary: 'Find the SSH key a client presents',
    description:
      'Looks the key up by the SHA-256 fingerprint of its leniently decoded base64 blob (padded or not). Deploy keys qualify; signing-only keys do not. Known consumers: OpenSSH AuthorizedKeysCommand through gitlab-shell (gitlab-shell-authorized-keys-check), gitlab-sshd.',
  })
  @ApiQuery({ type: AuthorizedKeysQuery })
  @ApiOkResponse({ type: AuthorizedKeyResponse })
  @ApiNotFoundResponse({ description: 'No such key (also for a missing or undecodable blob)', ...messageSchema('404 Key Not Found') })
  authorizedKeys(@Params() query: AuthorizedKeysQuery): Promise<AuthorizedKeyResponse> {
    return this.keys.authorizedKey(query.key);
  }

  @Get('authorized_certs')
  @ApiOperation({
    operationId: 'internalAuthorizedCerts',
    summary: 'Which group trusts a CA, for which enterprise user',
    description:
      'SSH certificate logins: the group trusting the CA fingerprint and the user named by the certificate KeyId. Known consumers: gitlab-sshd (FF_GITLAB_SHELL_SSH_CERTIFICATES).',
  })
  @ApiQuery({ type: AuthorizedCertsQuery })
  @ApiOkResponse({ type: AuthorizedCertResponse })
  @ApiNotFoundResponse({ description: 'Unknown certificate or user', ...messageSchema('Certificate Not Found') })
  @ApiForbiddenResponse({
    description: 'Feature disabled or not an enterprise user',
    ...messageSchema('Not an Enterprise User of the group'),
  })
  authorizedCerts(@Params() query: AuthorizedCertsQuery): Promise<AuthorizedCertResponse> {
    return this.keys.authorizedCert(query);
  }

  @Get('discover')
  @Header('Content-Type', 'application/json; charset=utf-8')
  @ApiOperation({
    operationId: 'internalDiscover',
    summary: 'The user behind a key, user id, username or Kerberos principal',
    description:
      'Answers the user, or the JSON literal `null` (status 200) when there is none. Known consumers: gitlab-shell (welcome message, 2FA and personal access token commands), gitlab-sshd.',
  })
  @ApiQuery({ type: DiscoverQuery })
  @ApiOkResponse({
    description: 'The user, or the JSON literal `null`',
    schema: {
      type: 'object',
      nullable: true,
      properties: {
        id: { type: 'integer', example: 5 },
        username: { type: 'string', example: 'alice' },
        name: { type: 'string', example: 'Alice Example' },
      },
      required: ['id', 'username', 'name'],
    },
  })
  async discover(@Params() query: DiscoverQuery): Promise<string> {
    // Nest writes an empty body for null: the JSON text is written explicitly
    return JSON.stringify(await this.keys.discover(query));
  }

  @Post('two_factor_recovery_codes')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'internalTwoFactorRecoveryCodes',
    summary: 'Regenerate 2FA recovery codes',
    description:
      'Replaces the user’s recovery codes with 10 new ones. Business failures answer 200 with success false. Known consumers: gitlab-shell (`2fa_recovery_codes`).',
  })
  @ApiBody({ type: KeyIdRequest })
  @ApiOkResponse({ type: RecoveryCodesResponse })
  recoveryCodes(@Params() input: KeyIdRequest): Promise<ShellResult> {
    return this.twoFactor.regenerateRecoveryCodes(input);
  }

  @Post('two_factor_manual_otp_check')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'internalTwoFactorManualOtpCheck',
    summary: 'Verify a TOTP code',
    description: 'RFC 6238 check with replay protection and lockout after 10 failures. Known consumers: gitlab-shell (`2fa_verify`).',
  })
  @ApiBody({ type: OtpCheckRequest })
  @ApiOkResponse({ type: ShellResultResponse })
  manualOtpCheck(@Params() input: OtpCheckRequest): Promise<ShellResult> {
    return this.twoFactor.manualOtpCheck(input);
  }

  @Post('two_factor_push_otp_check')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'internalTwoFactorPushOtpCheck',
    summary: 'Push-notification OTP (not supported)',
    description: 'Always `{"success":false,"message":"Feature is not available"}`. Known consumers: gitlab-shell (`2fa_verify`).',
  })
  @ApiBody({ type: KeyIdRequest })
  @ApiOkResponse({ type: ShellResultResponse })
  pushOtpCheck(): ShellResult {
    return { success: false, message: 'Feature is not available' };
  }

  @Post('two_factor_config')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'internalTwoFactorConfig',
    summary: '2FA configuration for the PAM module (disabled)',
    description: 'Always `{"success":false}`. Known consumers: GitLab PAM module (behind a disabled flag).',
  })
  @ApiBody({ type: KeyIdRequest })
  @ApiOkResponse({ type: ShellResultResponse })
  twoFactorConfig(): ShellResult {
    return { success: false };
  }

  @Post('personal_access_token')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'internalPersonalAccessToken',
    summary: 'Create a personal access token over SSH',
    description:
      'Creates a `glpat-` token for the key’s owner. Business failures answer 200 with success false. Known consumers: gitlab-shell (`personal_access_token`).',
  })
  @ApiBody({ type: PersonalAccessTokenRequest })
  @ApiOkResponse({ type: PersonalAccessTokenResponse })
  personalAccessToken(@Params() input: PersonalAccessTokenRequest): Promise<ShellResult> {
    return this.tokens.create(input);
  }
}
