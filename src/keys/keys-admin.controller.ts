import { Controller, Delete, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AdminAuth } from '../auth/auth.decorators';
import { Params, RawParams } from '../common/params.decorator';
import { CreateSshCertificateRequest, EnableTwoFactorRequest, EnableTwoFactorResponse, SshCertificateResponse } from './keys.dto';
import { SshCertificatesService } from './ssh-certificates.service';
import { TwoFactorService } from './two-factor.service';

const messageSchema = (example: string) => ({
  schema: { type: 'object', properties: { message: { type: 'string', example } }, required: ['message'] },
});

/** Admin fixtures: a user's two-factor authentication. */
@ApiTags('Admin: users')
@AdminAuth()
@Controller('api/v4/users')
export class TwoFactorAdminController {
  constructor(private readonly twoFactor: TwoFactorService) {}

  @Post(':id/two_factor')
  @ApiOperation({
    operationId: 'adminEnableUserTwoFactor',
    summary: 'Enable 2FA for a user',
    description:
      'Product extension: enables TOTP two-factor authentication with a given or generated base32 secret, replacing any previous secret, recovery codes and consumed step. Known consumers: operators, test fixtures.',
  })
  @ApiBody({ type: EnableTwoFactorRequest })
  @ApiCreatedResponse({ type: EnableTwoFactorResponse })
  @ApiBadRequestResponse({
    description: 'Invalid secret',
    schema: { type: 'object', properties: { error: { type: 'string', example: 'otp_secret is invalid' } } },
  })
  @ApiNotFoundResponse({ description: 'Unknown user', ...messageSchema('404 User Not Found') })
  enable(@Param('id') id: string, @Params() params: RawParams): Promise<EnableTwoFactorResponse> {
    return this.twoFactor.enable(id, params);
  }

  @Patch(':id/disable_two_factor')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'adminDisableUserTwoFactor',
    summary: 'Disable 2FA for a user',
    description: 'Removes the user’s OTP secret and recovery codes. Known consumers: operators, test fixtures.',
  })
  @ApiNoContentResponse({ description: 'Disabled' })
  @ApiBadRequestResponse({
    description: 'Not enabled',
    ...messageSchema('400 Bad request - Two-factor authentication is not enabled for this user'),
  })
  @ApiNotFoundResponse({ description: 'Unknown user', ...messageSchema('404 User Not Found') })
  async disable(@Param('id') id: string): Promise<void> {
    await this.twoFactor.disable(id);
  }
}

/** Admin fixtures: CA keys trusted by top-level groups. */
@ApiTags('Admin: groups')
@AdminAuth()
@Controller('api/v4/groups')
export class SshCertificatesAdminController {
  constructor(private readonly certificates: SshCertificatesService) {}

  @Post(':id/ssh_certificates')
  @ApiOperation({
    operationId: 'adminCreateGroupSshCertificate',
    summary: 'Trust an SSH certificate authority',
    description: 'Registers a CA public key on a top-level group (GitLab EE route). Known consumers: operators, test fixtures.',
  })
  @ApiBody({ type: CreateSshCertificateRequest })
  @ApiCreatedResponse({ type: SshCertificateResponse })
  @ApiBadRequestResponse({
    description:
      'Missing parameter (`{"error":…}`), subgroup (`{"message":"400 Bad request - Group must be a top-level group"}`), invalid key or fingerprint taken (`{"message":{"<attribute>":["<error>"]}}`)',
    schema: {
      type: 'object',
      properties: {
        error: { type: 'string', example: 'title is missing, key is missing' },
        message: {
          oneOf: [
            { type: 'string', example: '400 Bad request - Group must be a top-level group' },
            {
              type: 'object',
              additionalProperties: { type: 'array', items: { type: 'string' } },
              example: { fingerprint: ['has already been taken'] },
            },
          ],
        },
      },
    },
  })
  @ApiNotFoundResponse({ description: 'Unknown group', ...messageSchema('404 Group Not Found') })
  create(@Param('id') id: string, @Params() params: RawParams): Promise<SshCertificateResponse> {
    return this.certificates.create(id, params);
  }

  @Delete(':id/ssh_certificates/:ssh_certificates_id')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'adminDeleteGroupSshCertificate',
    summary: 'Stop trusting an SSH certificate authority',
    description: 'Known consumers: operators, test fixtures.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({
    description: 'Unknown group (`404 Group Not Found`) or certificate',
    ...messageSchema('SSH Certificate not found'),
  })
  async remove(@Param('id') id: string, @Param('ssh_certificates_id') certId: string): Promise<void> {
    await this.certificates.remove(id, certId);
  }
}
