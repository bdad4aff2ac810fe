import { Controller, Delete, HttpCode, Param, Post, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { AdminAuth, ErrorTrackingAuth } from '../auth/auth.decorators';
import { Params, RawParams } from '../common/params.decorator';
import {
  ClientKeyResponse,
  CreateClientKeyRequest,
  ErrorTrackingAllowedRequest,
  ErrorTrackingAllowedResponse,
  ErrorTrackingSettingsRequest,
  ErrorTrackingSettingsResponse,
} from './error-tracking.dto';
import { ErrorTrackingService } from './error-tracking.service';

const messageSchema = (example: string) => ({
  schema: { type: 'object', properties: { message: { type: 'string', example } }, required: ['message'] },
});

/** The error-tracking backend's DSN check. */
@ApiTags('Error tracking: access')
@ErrorTrackingAuth()
@Controller('api/v4/internal/error_tracking')
export class ErrorTrackingInternalController {
  constructor(private readonly errorTracking: ErrorTrackingService) {}

  @Post('allowed')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'internalErrorTrackingAllowed',
    summary: 'May this DSN key submit errors?',
    description:
      'True when error tracking is enabled for the instance and the project (integrated) and the key is an active key of the project. Known consumers: the error-tracking ingestion service (GitLab Observability / opstrace).',
  })
  @ApiBody({ type: ErrorTrackingAllowedRequest })
  @ApiOkResponse({ type: ErrorTrackingAllowedResponse })
  @ApiUnprocessableEntityResponse({ description: 'project_id or public_key blank', ...messageSchema('422 Unprocessable Entity') })
  @ApiNotFoundResponse({ description: 'Unknown project', ...messageSchema('404 Not found') })
  allowed(@Params() params: RawParams): Promise<ErrorTrackingAllowedResponse> {
    return this.errorTracking.allowed(params);
  }
}

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
  updateSettings(@Param('id') id: string, @Params() params: RawParams): Promise<ErrorTrackingSettingsResponse> {
    return this.errorTracking.updateSettings(id, params);
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
  createClientKey(@Param('id') id: string, @Params() params: RawParams): Promise<ClientKeyResponse> {
    return this.errorTracking.createClientKey(id, params);
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
