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
import { readParams } from '../common/params';
import { BillingNamespaces } from './billing-namespaces.service';
import { GitlabSubscriptionDto } from './dto/responses.dto';
import { NewSubscriptionParamsDto, SubscriptionParamsDto } from './dto/subscriptions.dto';
import { SubscriptionEndpoints } from './subscription-endpoints.service';

const idParam = ApiParam({ name: 'id', description: 'Namespace id or URL-encoded full path', example: 'my-group' });

/** `POST`/`PUT /namespaces/:id/gitlab_subscription`. */
@ApiTags('Billing portal: subscriptions')
@AdminAuth()
@Controller('api/v4/namespaces')
export class SubscriptionsController {
  constructor(
    private readonly endpoints: SubscriptionEndpoints,
    private readonly namespaces: BillingNamespaces,
  ) {}

  @Post(':id/gitlab_subscription')
  @HttpCode(201)
  @idParam
  @ApiBody({ type: NewSubscriptionParamsDto, required: false })
  @ApiOperation({
    operationId: 'billingCreateGitlabSubscription',
    summary: 'Create the subscription of a namespace',
    description: 'Parameters may also come in the query string. Known consumers: the billing portal (CustomersDot).',
  })
  @ApiCreatedResponse({ type: GitlabSubscriptionDto })
  @ApiBadRequestResponse({ description: 'Missing/invalid parameters or model errors' })
  @ApiNotFoundResponse({ description: '404 Namespace Not Found' })
  async create(@Param('id') id: string, @Params() params: RawParams) {
    // the namespace is looked up first: 404 comes before parameter errors
    const ns = await this.namespaces.findOrFail(id);
    return this.endpoints.create(ns, readParams(NewSubscriptionParamsDto, params));
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
  async update(@Param('id') id: string, @Params() params: RawParams) {
    const ns = await this.namespaces.findOrFail(id);
    return this.endpoints.update(ns, readParams(SubscriptionParamsDto, params));
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
