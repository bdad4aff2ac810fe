import {
  CallHandler,
  Controller,
  createParamDecorator,
  ExecutionContext,
  Header,
  HttpCode,
  Injectable,
  NestInterceptor,
  Post,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiCreatedResponse, ApiNotFoundResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import { AdminAuth } from '../auth/auth.decorators';
import { badRequest, notFound } from '../common/api-error';
import { Params } from '../common/params.decorator';
import { Namespace } from '../namespaces/entities/namespace.entity';
import { ScimTokenDto, ScimTokenRequestDto } from './dto/scim-tokens.dto';
import { ScimTokensService } from './scim-tokens.service';

const messageSchema = (example: string) => ({ schema: { type: 'object', properties: { message: { type: 'string', example } } } });

type GroupRequest = { params?: { id?: string }; scimTokenGroup?: Namespace };

/**
 * Looks up the top-level group of `:id` (404, or 400 for a subgroup) after the body is read and before the
 * parameters are: the route answers for its group before any parameter problem.
 */
@Injectable()
export class TopLevelGroupInterceptor implements NestInterceptor {
  constructor(private readonly tokens: ScimTokensService) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<GroupRequest>();
    const group = await this.tokens.findGroup(String(request.params?.id ?? ''));
    if (!group) throw notFound('Group');
    if (group.parent_id !== null) throw badRequest('SCIM tokens can only be issued for top-level groups');
    request.scimTokenGroup = group;
    return next.handle();
  }
}

/** The group `TopLevelGroupInterceptor` found. */
const TopLevelGroup = createParamDecorator((_data: unknown, ctx: ExecutionContext): Namespace => {
  return ctx.switchToHttp().getRequest<GroupRequest>().scimTokenGroup!;
});

/** The admin routes that issue SCIM tokens. */
@ApiTags('Admin: SCIM tokens')
@AdminAuth()
@Controller('api/v4')
export class ScimTokensAdminController {
  constructor(private readonly tokens: ScimTokensService) {}

  @Post('groups/:id/scim/token')
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  @UseInterceptors(TopLevelGroupInterceptor)
  @ApiParam({ name: 'id', type: String, description: 'Numeric id or URL-encoded full path of a top-level group' })
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
  async issueGroupToken(@TopLevelGroup() group: Namespace, @Params() input: ScimTokenRequestDto): Promise<ScimTokenDto> {
    return { token: await this.tokens.issue(group.id, input.default_access_level) };
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
