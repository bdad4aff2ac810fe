import { Controller, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { messageSchema } from '../common/api-error';
import { AdminAuth } from '../auth/auth.decorators';
import { Params } from '../common/params.decorator';
import { EnableTwoFactorRequest, EnableTwoFactorResponse } from './dto/keys.dto';
import { TwoFactorService } from './two-factor.service';

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
  enable(@Param('id') id: string, @Params() input: EnableTwoFactorRequest): Promise<EnableTwoFactorResponse> {
    return this.twoFactor.enable(id, input);
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
