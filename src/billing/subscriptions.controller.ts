import { Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { AdminAuth, CurrentPrincipal, UserAuth } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { Params, RawParams } from '../common/params.decorator';
import { GitlabSubscriptionDto, SubscriptionParamsDto } from './dto';
import { SubscriptionEndpoints } from './subscription-endpoints.service';

const idParam = ApiParam({ name: 'id', description: 'Namespace id or URL-encoded full path', example: 'my-group' });

/** `POST`/`PUT /namespaces/:id/gitlab_subscription`. */
@ApiTags('Billing portal: subscriptions')
@AdminAuth()
@Controller('api/v4/namespaces')
export class SubscriptionsController {
  constructor(private readonly endpoints: SubscriptionEndpoints) {}

  @Post(':id/gitlab_subscription')
  @HttpCode(201)
  @idParam
  @ApiBody({ type: SubscriptionParamsDto, required: false })
  @ApiOperation({
    operationId: 'billingCreateGitlabSubscription',
    summary: 'Create the subscription of a namespace',
    description: 'Parameters may also come in the query string. Known consumers: the billing portal (CustomersDot).',
  })
  @ApiCreatedResponse({ type: GitlabSubscriptionDto })
  @ApiBadRequestResponse({ description: 'Missing/invalid parameters or model errors' })
  @ApiNotFoundResponse({ description: '404 Namespace Not Found' })
  create(@Param('id') id: string, @Params() params: RawParams) {
    return this.endpoints.create(id, params);
  }

  @Put(':id/gitlab_subscription')
  @idParam
  @ApiBody({ type: SubscriptionParamsDto, required: false })
  @ApiOperation({
    operationId: 'billingUpdateGitlabSubscription',
    summary: 'Update the subscription of a namespace',
    description: 'Applies the update rules (new term, seat statistics reset). Known consumers: the billing portal (CustomersDot).',
  })
  @ApiOkResponse({ type: GitlabSubscriptionDto })
  @ApiBadRequestResponse({ description: 'Invalid parameters or model errors' })
  @ApiNotFoundResponse({ description: '404 Namespace Not Found / 404 GitlabSubscription Not Found' })
  update(@Param('id') id: string, @Params() params: RawParams) {
    return this.endpoints.update(id, params);
  }
}

/** `GET /namespaces/:id/gitlab_subscription` with any user's token. */
@ApiTags('Billing portal: subscriptions')
@UserAuth()
@Controller('api/v4/namespaces')
export class SubscriptionReadController {
  constructor(private readonly endpoints: SubscriptionEndpoints) {}

  @Get(':id/gitlab_subscription')
  @idParam
  @ApiOperation({
    operationId: 'billingGetGitlabSubscription',
    summary: "A namespace's subscription (owners and admins)",
    description: 'Deprecated for CustomersDot. Known consumers: the billing portal (CustomersDot), namespace owners.',
  })
  @ApiOkResponse({ type: GitlabSubscriptionDto })
  @ApiNotFoundResponse({ description: '404 Namespace Not Found (also when the caller cannot see it)' })
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.endpoints.getAsUser(id, principal);
  }
}
