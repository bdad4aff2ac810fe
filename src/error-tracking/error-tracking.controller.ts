import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { messageSchema } from '../common/api-error';
import { ErrorTrackingAuth } from '../auth/auth.decorators';
import { Params } from '../common/params.decorator';
import { ErrorTrackingAllowedRequest, ErrorTrackingAllowedResponse } from './dto/error-tracking.dto';
import { ErrorTrackingService } from './error-tracking.service';

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
  allowed(@Params() input: ErrorTrackingAllowedRequest): Promise<ErrorTrackingAllowedResponse> {
    return this.errorTracking.allowed(input);
  }
}
