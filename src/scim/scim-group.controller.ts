import { Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CurrentPrincipal, ScimAuth } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { ScimJsonBody } from './scim-json-body';
import { SCIM_GROUP_BASE } from './scim.constants';
import { ScimDiscoveryService } from './scim-discovery.service';
import { scimQuery, ScimResponseInterceptor } from './scim-http';
import { ScimScope } from './scim-tokens.service';
import { SCIM_OBJECT_SCHEMA, ScimCreateUserDto, ScimErrorDto, ScimPatchDto, ScimUserDto, ScimUserListDto } from './scim-user.dto';
import { ScimProvisioningService } from './scim-provisioning.service';
import { ScimUserDirectoryService } from './scim-user-directory.service';
import { ScimUserUpdatesService } from './scim-user-updates.service';

const scopeOf = (principal: Principal) => (principal as { token: ScimScope }).token;
const CONSUMERS = 'Known consumers: Okta, Microsoft Entra ID and other SCIM 2.0 identity providers.';

/** SCIM 2.0 in the group scope. */
@ApiTags('SCIM: provisioning')
@ScimAuth('group')
@UseInterceptors(ScimResponseInterceptor)
@ApiUnauthorizedResponse({ description: 'E1: missing, unknown, replaced or wrong-scope SCIM token', type: ScimErrorDto })
@Controller(SCIM_GROUP_BASE)
export class ScimGroupController {
  constructor(
    private readonly directory: ScimUserDirectoryService,
    private readonly provisioning: ScimProvisioningService,
    private readonly updates: ScimUserUpdatesService,
    private readonly discovery: ScimDiscoveryService,
  ) {}
  @Get('Users')
  @ApiParam({ name: 'group_path', description: 'Numeric id or URL-encoded full path of a top-level group' })
  @ApiOperation({
    operationId: 'scimGroupListUsers',
    summary: "List and filter the group scope's SCIM users",
    description:
      'Filter (`eq` terms joined with `and` on id, externalId, userName, emails.value, active), startIndex/count paging, attributes/excludedAttributes. ' +
      CONSUMERS,
  })
  @ApiOkResponse({ type: ScimUserListDto, description: 'ListResponse' })
  @ApiBadRequestResponse({ type: ScimErrorDto, description: 'invalidFilter' })
  list(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>) {
    return this.directory.list(scopeOf(principal), scimQuery(query));
  }

  @Post('Users')
  @ApiParam({ name: 'group_path', description: 'Numeric id or URL-encoded full path of a top-level group' })
  @ApiOperation({
    operationId: 'scimGroupCreateUser',
    summary: 'Provision a SCIM user in the group scope (create or link by email)',
    description:
      'Creates the identity and, when no user has the email, the GitLab user, plus a membership in the group at its default access level. ' +
      CONSUMERS,
  })
  @ApiBody({ type: ScimCreateUserDto })
  @ApiCreatedResponse({ type: ScimUserDto, description: 'The User resource; `Location` = meta.location' })
  @ApiBadRequestResponse({ type: ScimErrorDto, description: 'invalidSyntax or invalidValue' })
  @ApiConflictResponse({ type: ScimErrorDto, description: 'uniqueness' })
  create(@CurrentPrincipal() principal: Principal, @ScimJsonBody() body: Record<string, unknown>) {
    return this.provisioning.create(scopeOf(principal), body);
  }

  @Get('Users/:id')
  @ApiParam({ name: 'group_path', description: 'Numeric id or URL-encoded full path of a top-level group' })
  @ApiParam({ name: 'id', description: "The identity's extern_uid (exact, case-sensitive)" })
  @ApiOperation({ operationId: 'scimGroupGetUser', summary: 'Read one SCIM user of the group scope', description: CONSUMERS })
  @ApiOkResponse({ type: ScimUserDto })
  @ApiNotFoundResponse({ type: ScimErrorDto, description: 'Resource <id> not found' })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Query() query: Record<string, unknown>) {
    return this.directory.get(scopeOf(principal), id, scimQuery(query));
  }

  @Patch('Users/:id')
  @HttpCode(204)
  @ApiParam({ name: 'group_path', description: 'Numeric id or URL-encoded full path of a top-level group' })
  @ApiParam({ name: 'id', description: "The identity's extern_uid" })
  @ApiOperation({
    operationId: 'scimGroupPatchUser',
    summary: 'Change `active` or the identifier of a SCIM user of the group scope',
    description:
      'PatchOp (add/replace/update/remove), atomic. `active` false deprovisions (removes the memberships in the group, its subgroups and their projects), true reprovisions. ' +
      CONSUMERS,
  })
  @ApiBody({ type: ScimPatchDto })
  @ApiNoContentResponse({ description: 'Applied; empty body' })
  @ApiBadRequestResponse({ type: ScimErrorDto })
  @ApiNotFoundResponse({ type: ScimErrorDto })
  @ApiConflictResponse({ type: ScimErrorDto })
  async patch(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @ScimJsonBody() body: Record<string, unknown>,
  ): Promise<void> {
    await this.updates.patch(scopeOf(principal), id, body);
  }

  @Delete('Users/:id')
  @HttpCode(204)
  @ApiParam({ name: 'group_path', description: 'Numeric id or URL-encoded full path of a top-level group' })
  @ApiParam({ name: 'id', description: "The identity's extern_uid" })
  @ApiOperation({
    operationId: 'scimGroupDeleteUser',
    summary: 'Deprovision a SCIM user of the group scope',
    description:
      'Removes the identity and the memberships in the group, its subgroups and their projects; the user account stays. ' + CONSUMERS,
  })
  @ApiNoContentResponse({ description: 'Deprovisioned; empty body' })
  @ApiBadRequestResponse({ type: ScimErrorDto })
  @ApiNotFoundResponse({ type: ScimErrorDto })
  async remove(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.updates.remove(scopeOf(principal), id);
  }

  @Get('ServiceProviderConfig')
  @ApiParam({ name: 'group_path', description: 'Numeric id or URL-encoded full path of a top-level group' })
  @ApiOperation({ operationId: 'scimGroupServiceProviderConfig', summary: 'SCIM capabilities (RFC 7644 §4)', description: CONSUMERS })
  @ApiOkResponse({ schema: SCIM_OBJECT_SCHEMA })
  @ApiForbiddenResponse({ type: ScimErrorDto, description: 'filter given' })
  serviceProviderConfig(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>) {
    return this.discovery.serviceProviderConfig(scopeOf(principal), scimQuery(query));
  }

  @Get('Schemas')
  @ApiParam({ name: 'group_path', description: 'Numeric id or URL-encoded full path of a top-level group' })
  @ApiOperation({ operationId: 'scimGroupSchemas', summary: 'SCIM schema definitions (the User schema)', description: CONSUMERS })
  @ApiOkResponse({ schema: SCIM_OBJECT_SCHEMA })
  @ApiForbiddenResponse({ type: ScimErrorDto, description: 'filter given' })
  schemas(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>) {
    return this.discovery.schemas(scopeOf(principal), scimQuery(query));
  }

  @Get('Schemas/:schemaId')
  @ApiParam({ name: 'group_path', description: 'Numeric id or URL-encoded full path of a top-level group' })
  @ApiOperation({ operationId: 'scimGroupSchema', summary: 'One SCIM schema definition', description: CONSUMERS })
  @ApiOkResponse({ schema: SCIM_OBJECT_SCHEMA })
  @ApiNotFoundResponse({ type: ScimErrorDto })
  schema(@CurrentPrincipal() principal: Principal, @Param('schemaId') schemaId: string, @Query() query: Record<string, unknown>) {
    return this.discovery.schema(scopeOf(principal), schemaId, scimQuery(query));
  }

  @Get('ResourceTypes')
  @ApiParam({ name: 'group_path', description: 'Numeric id or URL-encoded full path of a top-level group' })
  @ApiOperation({ operationId: 'scimGroupResourceTypes', summary: 'SCIM resource types (User)', description: CONSUMERS })
  @ApiOkResponse({ schema: SCIM_OBJECT_SCHEMA })
  @ApiForbiddenResponse({ type: ScimErrorDto, description: 'filter given' })
  resourceTypes(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>) {
    return this.discovery.resourceTypes(scopeOf(principal), scimQuery(query));
  }

  @Get('ResourceTypes/:name')
  @ApiParam({ name: 'group_path', description: 'Numeric id or URL-encoded full path of a top-level group' })
  @ApiOperation({ operationId: 'scimGroupResourceType', summary: 'One SCIM resource type', description: CONSUMERS })
  @ApiOkResponse({ schema: SCIM_OBJECT_SCHEMA })
  @ApiNotFoundResponse({ type: ScimErrorDto })
  resourceType(@CurrentPrincipal() principal: Principal, @Param('name') name: string, @Query() query: Record<string, unknown>) {
    return this.discovery.resourceType(scopeOf(principal), name, scimQuery(query));
  }
}
