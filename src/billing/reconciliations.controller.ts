import { applyDecorators, Controller, Delete, Header, HttpCode, Param, Put, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { AdminAuth } from '../auth/auth.decorators';
import { Params, RawParams } from '../common/params.decorator';
import { readParams } from '../common/params';
import {
  ReconciliationDeleteParamsDto,
  ReconciliationParamsDto,
  ReconciliationsParamsDto,
  singleReconciliation,
} from './dto/reconciliations.dto';
import { GitlabComFirstGuard } from './gitlab-com.guard';
import { ReconciliationsService } from './reconciliations.service';

const gitlabComOnly = ApiForbiddenResponse({
  description: '403 Forbidden - This API is gitlab.com only! (before authentication), or not an admin',
});
// Grape renders the returned status as a JSON document: the number 200, typed application/json
const ok200 = applyDecorators(
  ApiOkResponse({ description: 'The JSON number 200', schema: { type: 'integer', example: 200 } }),
  Header('Content-Type', 'application/json; charset=utf-8'),
);

/**
 * Upcoming reconciliations. Guard order: the GitLab.com check first (decorators apply
 * bottom-up, so `GitlabComFirstGuard` is registered before the `@AdminAuth()` guard), then the admin token.
 */
@ApiTags('Billing portal: subscriptions')
@AdminAuth()
@UseGuards(GitlabComFirstGuard)
@Controller('api/v4/internal')
export class ReconciliationsController {
  constructor(private readonly reconciliations: ReconciliationsService) {}

  @Put('upcoming_reconciliations')
  @HttpCode(200)
  @ApiBody({ type: ReconciliationsParamsDto })
  @ApiOperation({
    operationId: 'billingBulkUpsertUpcomingReconciliations',
    summary: 'Create or update upcoming reconciliations (deprecated)',
    description: 'All or nothing. Known consumers: the billing portal (CustomersDot).',
  })
  @ok200
  @gitlabComOnly
  @ApiBadRequestResponse({ description: 'Parameter errors, or {"message":{"error":"<JSON array>"}}' })
  bulkUpsert(@Params() input: ReconciliationsParamsDto) {
    return this.reconciliations.bulkUpsert(input);
  }

  @Delete('upcoming_reconciliations')
  @HttpCode(204)
  @ApiQuery({ name: 'namespace_id', type: Number })
  @ApiOperation({
    operationId: 'billingBulkDeleteUpcomingReconciliation',
    summary: 'Delete the upcoming reconciliation of a namespace (deprecated)',
    description: 'Known consumers: the billing portal (CustomersDot).',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @gitlabComOnly
  @ApiBadRequestResponse({ description: 'namespace_id is missing / empty / invalid' })
  @ApiNotFoundResponse({ description: '404 Not Found' })
  async bulkDelete(@Params() input: ReconciliationDeleteParamsDto): Promise<void> {
    await this.reconciliations.bulkDelete(input);
  }

  @Put('gitlab_subscriptions/namespaces/:namespace_id/upcoming_reconciliations')
  @HttpCode(200)
  @ApiParam({ name: 'namespace_id', type: Number })
  @ApiBody({ type: ReconciliationParamsDto })
  @ApiOperation({
    operationId: 'billingUpsertUpcomingReconciliation',
    summary: 'Create or update the upcoming reconciliation of a namespace',
    description:
      'Flat body; a one-element upcoming_reconciliations array is also accepted. Known consumers: the billing portal (CustomersDot).',
  })
  @ok200
  @gitlabComOnly
  @ApiBadRequestResponse({ description: 'Parameter errors, or {"message":{"error":"... can\'t be blank"}}' })
  @ApiNotFoundResponse({ description: '404 Namespace Not Found' })
  async upsert(@Param('namespace_id') namespaceId: string, @Params() params: RawParams) {
    // the path's namespace is checked first (400 namespace_id is invalid, 404), then the body
    const ns = await this.reconciliations.namespace(namespaceId);
    return this.reconciliations.put(ns, readParams(ReconciliationParamsDto, singleReconciliation(params)));
  }

  @Delete('gitlab_subscriptions/namespaces/:namespace_id/upcoming_reconciliations')
  @HttpCode(204)
  @ApiParam({ name: 'namespace_id', type: Number })
  @ApiOperation({
    operationId: 'billingDeleteUpcomingReconciliation',
    summary: 'Delete the upcoming reconciliation of a namespace',
    description: 'Known consumers: the billing portal (CustomersDot).',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @gitlabComOnly
  @ApiNotFoundResponse({ description: '404 Namespace Not Found / 404 Not Found' })
  async delete(@Param('namespace_id') namespaceId: string): Promise<void> {
    await this.reconciliations.delete(namespaceId);
  }
}
