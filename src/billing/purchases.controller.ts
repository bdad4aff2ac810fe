import { Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { AdminAuth } from '../auth/auth.decorators';
import { accepted } from '../common/api-error';
import { Params, RawParams } from '../common/params.decorator';
import { AddOnsService } from './add-ons.service';
import { ComputePacksService } from './compute-packs.service';
import { Paginates, pageRequest } from '../common/pagination';
import { readParams } from '../common/params';
import { BillingNamespaces } from './billing-namespaces.service';
import { AddOnPurchaseParamsDto, NewAddOnPurchaseParamsDto, PacksParamsDto, StorageExclusionParamsDto } from './dto/purchases.dto';
import { AddOnPurchaseDto, MessageDto, PackDto, StorageExclusionDto } from './dto/responses.dto';
import { GitlabComOnlyGuard } from './gitlab-com.guard';
import { StorageExclusionsService } from './storage-exclusions.service';

const idParam = ApiParam({ name: 'id', description: 'Namespace id or URL-encoded full path', example: 'my-group' });
const addOnParam = ApiParam({ name: 'add_on_name', enum: ['code_suggestions', 'product_analytics', 'duo_enterprise'] });

/** Add-on purchases, compute packs and storage exclusions under `/namespaces`. */
@ApiTags('Billing portal: subscriptions')
@AdminAuth()
@ApiExtraModels(PackDto, StorageExclusionDto)
@Paginates()
@Controller('api/v4/namespaces')
export class PurchasesController {
  constructor(
    private readonly addOns: AddOnsService,
    private readonly packs: ComputePacksService,
    private readonly exclusions: StorageExclusionsService,
    private readonly namespaces: BillingNamespaces,
  ) {}

  @Get('storage/limit_exclusions')
  @ApiQuery({ name: 'page', required: false, type: Number })
  @ApiQuery({ name: 'per_page', required: false, type: Number })
  @ApiOperation({
    operationId: 'billingListStorageLimitExclusions',
    summary: 'Storage limit exclusions (GitLab.com only)',
    description: 'Ordered by id, paginated. Known consumers: the GitLab.com admin area.',
  })
  @ApiOkResponse({ schema: { type: 'array', items: { $ref: getSchemaPath(StorageExclusionDto) } } })
  @ApiForbiddenResponse({ description: '403 Forbidden - this API is for GitLab.com only' })
  @UseGuards(GitlabComOnlyGuard)
  listExclusions(@Params() params: RawParams) {
    return this.exclusions.list(pageRequest(params));
  }

  @Post(':id/storage/limit_exclusion')
  @HttpCode(201)
  @idParam
  @ApiBody({ type: StorageExclusionParamsDto })
  @ApiOperation({
    operationId: 'billingCreateStorageLimitExclusion',
    summary: 'Exclude a root namespace from storage limits (GitLab.com only)',
    description: 'Known consumers: the GitLab.com admin area.',
  })
  @ApiCreatedResponse({ type: StorageExclusionDto })
  @ApiBadRequestResponse({ description: 'must use a root namespace / already excluded / reason errors' })
  @ApiNotFoundResponse({ description: '404 Namespace Not Found' })
  @UseGuards(GitlabComOnlyGuard)
  async createExclusion(@Param('id') id: string, @Params() params: RawParams) {
    // the namespace is looked up first: 404 comes before parameter errors
    const ns = await this.namespaces.findOrFail(id);
    return this.exclusions.create(ns, readParams(StorageExclusionParamsDto, params));
  }

  @Delete(':id/storage/limit_exclusion')
  @HttpCode(204)
  @idParam
  @ApiOperation({
    operationId: 'billingDeleteStorageLimitExclusion',
    summary: 'Remove the storage limit exclusion of a root namespace (GitLab.com only)',
    description: 'Known consumers: the GitLab.com admin area.',
  })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiBadRequestResponse({ description: 'must use a root namespace / not excluded' })
  @ApiNotFoundResponse({ description: '404 Namespace Not Found' })
  @UseGuards(GitlabComOnlyGuard)
  async deleteExclusion(@Param('id') id: string): Promise<void> {
    await this.exclusions.remove(id);
  }

  @Post(':id/minutes')
  @HttpCode(201)
  @idParam
  @ApiBody({ type: PacksParamsDto })
  @ApiOperation({
    operationId: 'billingCreateComputeMinutePacks',
    summary: 'Add compute-minute packs (idempotent per purchase_xid)',
    description: 'All packs or none. Known consumers: the billing portal (CustomersDot).',
  })
  @ApiCreatedResponse({ schema: { type: 'array', items: { $ref: getSchemaPath(PackDto) } } })
  @ApiBadRequestResponse({ description: 'Parameter errors or 400 Bad request - Unable to save additional packs' })
  @ApiNotFoundResponse({ description: '404 Namespace Not Found' })
  async createPacks(@Param('id') id: string, @Params() params: RawParams) {
    // the namespace is looked up first: 404 comes before parameter errors
    const ns = await this.namespaces.findOrFail(id);
    return this.packs.create(ns, readParams(PacksParamsDto, params));
  }

  @Patch(':id/minutes/move/:target_id')
  @HttpCode(202)
  @idParam
  @ApiParam({ name: 'target_id', description: 'Target namespace id or URL-encoded full path' })
  @ApiOperation({
    operationId: 'billingMoveComputeMinutePacks',
    summary: 'Move every compute-minute pack to another root namespace of the same owner',
    description: 'Synchronous: the move is committed before the 202 is sent. Known consumers: the billing portal (CustomersDot).',
  })
  @ApiAcceptedResponse({ type: MessageDto })
  @ApiBadRequestResponse({ description: 'Not top-level namespaces, or no common owner' })
  @ApiNotFoundResponse({ description: '404 Namespace Not Found / 404 Target namespace Not Found' })
  async movePacks(@Param('id') id: string, @Param('target_id') targetId: string) {
    await this.packs.move(id, targetId);
    return accepted();
  }

  @Post(':id/subscription_add_on_purchase/:add_on_name')
  @HttpCode(201)
  @idParam
  @addOnParam
  @ApiBody({ type: NewAddOnPurchaseParamsDto })
  @ApiOperation({
    operationId: 'billingCreateAddOnPurchase',
    summary: 'Create the add-on purchase of a namespace',
    description: 'Known consumers: the billing portal (CustomersDot).',
  })
  @ApiCreatedResponse({ type: AddOnPurchaseDto })
  @ApiBadRequestResponse({ description: 'Parameter/model errors, not a root namespace, already exists' })
  @ApiNotFoundResponse({ description: '404 Namespace Not Found / 404 Subscription Add-on Not Found' })
  async createAddOn(@Param('id') id: string, @Param('add_on_name') name: string, @Params() params: RawParams) {
    // the namespace and add-on are looked up first: 404 comes before parameter errors
    const target = await this.addOns.lookup(id, name);
    return this.addOns.create(target, readParams(NewAddOnPurchaseParamsDto, params));
  }

  @Get(':id/subscription_add_on_purchase/:add_on_name')
  @idParam
  @addOnParam
  @ApiOperation({
    operationId: 'billingGetAddOnPurchase',
    summary: 'The add-on purchase of a namespace',
    description: 'Known consumers: the billing portal (CustomersDot).',
  })
  @ApiOkResponse({ type: AddOnPurchaseDto })
  @ApiNotFoundResponse({ description: '404 Not found (no purchase) / 404 Namespace Not Found / 404 Subscription Add-on Not Found' })
  getAddOn(@Param('id') id: string, @Param('add_on_name') name: string) {
    return this.addOns.get(id, name);
  }

  @Put(':id/subscription_add_on_purchase/:add_on_name')
  @idParam
  @addOnParam
  @ApiBody({ type: AddOnPurchaseParamsDto })
  @ApiOperation({
    operationId: 'billingUpdateAddOnPurchase',
    summary: 'Update the add-on purchase of a namespace',
    description: 'Only non-null values are applied. Known consumers: the billing portal (CustomersDot).',
  })
  @ApiOkResponse({ type: AddOnPurchaseDto })
  @ApiBadRequestResponse({ description: 'Parameter/model errors, or the purchase does not exist' })
  @ApiNotFoundResponse({ description: '404 Namespace Not Found / 404 Subscription Add-on Not Found' })
  async updateAddOn(@Param('id') id: string, @Param('add_on_name') name: string, @Params() params: RawParams) {
    const target = await this.addOns.lookup(id, name);
    return this.addOns.update(target, readParams(AddOnPurchaseParamsDto, params));
  }
}
