import { Controller, Header, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiCreatedResponse, ApiNotFoundResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AdminAuth } from '../auth/auth.decorators';
import { badRequest, notFound, paramError } from '../common/api-error';
import { INVALID, intParam } from '../common/coerce';
import { Params, RawParams } from '../common/params.decorator';
import { SCIM_DEFAULT_ACCESS_LEVELS } from './entities/scim-group-setting.entity';
import { ScimTokensService } from './scim-tokens.service';
import { ScimTokenDto, ScimTokenRequestDto } from './scim-user.dto';

const messageSchema = (example: string) => ({ schema: { type: 'object', properties: { message: { type: 'string', example } } } });

/** The admin routes that issue SCIM tokens. */
@ApiTags('Admin: SCIM tokens')
@AdminAuth()
@Controller('api/v4')
export class ScimTokensController {
  constructor(private readonly tokens: ScimTokensService) {}

  @Post('groups/:id/scim/token')
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  @ApiParam({ name: 'id', description: 'Numeric id or URL-encoded full path of a top-level group' })
  @ApiOperation({
    operationId: 'scimIssueGroupToken',
    summary: "Issue the group's SCIM token (replaces the previous one)",
    description:
      'The clear token is shown only in this answer. Optionally sets the access level of members SCIM adds. Known consumers: GitLab administrators configuring Okta or Entra ID.',
  })
  @ApiBody({ type: ScimTokenRequestDto, required: false })
  @ApiCreatedResponse({ type: ScimTokenDto })
  @ApiNotFoundResponse({ description: 'Group not found', ...messageSchema('404 Group Not Found') })
  @ApiBadRequestResponse({
    description: 'Subgroup, or default_access_level not allowed',
    ...messageSchema('400 Bad request - SCIM tokens can only be issued for top-level groups'),
  })
  async issueGroupToken(@Param('id') id: string, @Params() params: RawParams): Promise<ScimTokenDto> {
    const group = await this.tokens.findGroup(id);
    if (!group) throw notFound('Group');
    if (group.parent_id !== null) throw badRequest('SCIM tokens can only be issued for top-level groups');
    const level = intParam(params.default_access_level);
    if (level === INVALID) throw paramError('default_access_level is invalid');
    if (level !== undefined && !SCIM_DEFAULT_ACCESS_LEVELS.includes(level))
      throw paramError('default_access_level does not have a valid value');
    return { token: await this.tokens.issue(group.id, level) };
  }

  @Post('application/scim/token')
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    operationId: 'scimIssueInstanceToken',
    summary: "Issue the instance's SCIM token (replaces the previous one)",
    description: 'The clear token is shown only in this answer. Known consumers: GitLab administrators configuring Okta or Entra ID.',
  })
  @ApiCreatedResponse({ type: ScimTokenDto })
  async issueInstanceToken(): Promise<ScimTokenDto> {
    return { token: await this.tokens.issue(null) };
  }
}
