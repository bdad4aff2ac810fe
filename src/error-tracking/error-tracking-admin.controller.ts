import { Controller, Delete, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { messageSchema } from '../common/api-error';
import { AdminAuth } from '../auth/auth.decorators';
import { Params } from '../common/params.decorator';
import { ClientKeyResponse, CreateClientKeyRequest, ErrorTrackingSettingsRequest, ErrorTrackingSettingsResponse } from './dto/error-tracking.dto';
import { ErrorTrackingService } from './error-tracking.service';

/** Admin fixtures: a project's error tracking settings and client keys. */
@ApiTags('Admin: error tracking')
@AdminAuth()
@Controller('api/v4/projects/:id/error_tracking')
export class ErrorTrackingAdminController {
  constructor(private readonly errorTracking: ErrorTrackingService) {}

  @Put('settings')
  @ApiOperation({
    operationId: 'adminUpdateProjectErrorTrackingSettings',
    summary: 'Enable or disable error tracking for a project',
    description: 'Creates the settings row when missing. Known consumers: operators, test fixtures.',
  })
  @ApiBody({ type: ErrorTrackingSettingsRequest })
  @ApiOkResponse({ type: ErrorTrackingSettingsResponse })
  @ApiBadRequestResponse({
    description: 'Missing or invalid parameter',
    schema: { type: 'object', properties: { error: { type: 'string', example: 'active is missing' } } },
  })
  @ApiNotFoundResponse({ description: 'Unknown project', ...messageSchema('404 Project Not Found') })
  updateSettings(@Param('id') id: string, @Params() input: ErrorTrackingSettingsRequest): Promise<ErrorTrackingSettingsResponse> {
    return this.errorTracking.updateSettings(id, input);
  }

  @Post('client_keys')
  @ApiOperation({
    operationId: 'adminCreateProjectErrorTrackingClientKey',
    summary: 'Create a DSN client key',
    description: 'Generates a `glet_` public key and its Sentry DSN. Known consumers: operators, test fixtures.',
  })
  @ApiBody({ type: CreateClientKeyRequest })
  @ApiCreatedResponse({ type: ClientKeyResponse })
  @ApiNotFoundResponse({ description: 'Unknown project', ...messageSchema('404 Project Not Found') })
  createClientKey(@Param('id') id: string, @Params() input: CreateClientKeyRequest): Promise<ClientKeyResponse> {
    return this.errorTracking.createClientKey(id, input);
  }

  @Delete('client_keys/:key_id')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'adminDeleteProjectErrorTrackingClientKey',
    summary: 'Delete a DSN client key',
    description: 'Known consumers: operators, test fixtures.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: 'Unknown project or key', ...messageSchema('404 Not found') })
  async deleteClientKey(@Param('id') id: string, @Param('key_id') keyId: string): Promise<void> {
    await this.errorTracking.deleteClientKey(id, keyId);
  }
}
