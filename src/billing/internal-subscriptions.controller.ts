import { Controller, Get, Param, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { AdminAuth } from '../auth/auth.decorators';
import { Params, RawParams } from '../common/params.decorator';
import { BillingUsersService } from './billing-users.service';
import { Paginates, pageRequest } from '../common/pagination';
import { readParams } from '../common/params';
import { BillingNamespaces } from './billing-namespaces.service';
import { BillingNamespaceDto, BillingUserDto, GitlabSubscriptionDto, OwnerDto, SuccessDto } from './dto/responses.dto';
import { NamespaceUpdateDto } from './dto/subscriptions.dto';
import { CreditCardValidationDto } from './dto/users.dto';
import { SubscriptionEndpoints } from './subscription-endpoints.service';

const idParam = ApiParam({ name: 'id', description: 'Namespace id or URL-encoded full path', example: 'my-group' });

/** `/internal/gitlab_subscriptions/...` for CustomersDot. */
@ApiTags('Billing portal: subscriptions')
@AdminAuth()
@ApiExtraModels(OwnerDto)
@Paginates()
@Controller('api/v4/internal/gitlab_subscriptions')
export class InternalSubscriptionsController {
  constructor(
    private readonly endpoints: SubscriptionEndpoints,
    private readonly users: BillingUsersService,
    private readonly namespaces: BillingNamespaces,
  ) {}

  @Get('namespaces/:id/gitlab_subscription')
  @idParam
  @ApiOperation({
    operationId: 'billingInternalGetGitlabSubscription',
    summary: "A namespace's subscription",
    description: 'Every leaf is null without a subscription. Known consumers: the billing portal (CustomersDot).',
  })
  @ApiOkResponse({ type: GitlabSubscriptionDto })
  @ApiNotFoundResponse({ description: '404 Namespace Not Found' })
  getSubscription(@Param('id') id: string) {
    return this.endpoints.getInternal(id);
  }

  @Get('namespaces/:id/owners')
  @idParam
  @ApiQuery({ name: 'page', required: false, type: Number })
  @ApiQuery({ name: 'per_page', required: false, type: Number })
  @ApiOperation({
    operationId: 'billingInternalListNamespaceOwners',
    summary: "A group's direct, active owners",
    description: 'Paginated with GitLab headers. Known consumers: the billing portal (CustomersDot).',
  })
  @ApiOkResponse({ schema: { type: 'array', items: { $ref: getSchemaPath(OwnerDto) } } })
  @ApiNotFoundResponse({ description: '404 Group Namespace Not Found' })
  owners(@Param('id') id: string, @Params() params: RawParams) {
    return this.endpoints.owners(id, pageRequest(params));
  }

  @Get('namespaces/:id')
  @idParam
  @ApiOperation({
    operationId: 'billingInternalGetNamespace',
    summary: 'A namespace with its limits, plan and seat counts',
    description: 'Known consumers: the billing portal (CustomersDot).',
  })
  @ApiOkResponse({ type: BillingNamespaceDto })
  @ApiNotFoundResponse({ description: '404 Namespace Not Found' })
  getNamespace(@Param('id') id: string) {
    return this.endpoints.namespaceInfo(id);
  }

  @Put('namespaces/:id')
  @idParam
  @ApiBody({ type: NamespaceUpdateDto, required: false })
  @ApiOperation({
    operationId: 'billingInternalUpdateNamespace',
    summary: 'Update compute/storage limits and create or update the subscription',
    description: 'One transaction. Known consumers: the billing portal (CustomersDot).',
  })
  @ApiOkResponse({ type: BillingNamespaceDto })
  @ApiBadRequestResponse({ description: 'Invalid parameters or model errors' })
  @ApiNotFoundResponse({ description: '404 Namespace Not Found' })
  async updateNamespace(@Param('id') id: string, @Params() params: RawParams) {
    // the namespace is looked up first: 404 comes before parameter errors
    const ns = await this.namespaces.findOrFail(id);
    return this.endpoints.updateNamespace(ns, readParams(NamespaceUpdateDto, params));
  }

  @Get('users/:id')
  @ApiParam({ name: 'id', description: 'User id', type: Number, example: 1 })
  @ApiOperation({
    operationId: 'billingInternalGetUser',
    summary: 'A user',
    description: 'Known consumers: the billing portal (CustomersDot).',
  })
  @ApiOkResponse({ type: BillingUserDto })
  @ApiBadRequestResponse({ description: 'id is invalid' })
  @ApiNotFoundResponse({ description: '404 User Not Found' })
  getUser(@Param('id') id: string) {
    return this.users.get(id);
  }

  @Put('users/:user_id/credit_card_validation')
  @ApiParam({ name: 'user_id', description: 'User id or username', example: 'jdoe' })
  @ApiBody({ type: CreditCardValidationDto })
  @ApiOperation({
    operationId: 'billingInternalUpsertCreditCardValidation',
    summary: "Record a user's credit-card validation (hashes only)",
    description: 'Known consumers: the billing portal (CustomersDot).',
  })
  @ApiOkResponse({ type: SuccessDto })
  @ApiBadRequestResponse({ description: 'Missing/invalid parameters, or 400 Bad request' })
  @ApiNotFoundResponse({ description: '404 User Not Found' })
  async creditCard(@Param('user_id') userId: string, @Params() params: RawParams) {
    // the user is looked up first: 404 comes before parameter errors
    const user = await this.users.findUser(userId);
    return this.users.validateCreditCard(user, readParams(CreditCardValidationDto, params));
  }
}
