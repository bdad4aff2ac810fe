import { Controller, Delete, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminAuth, CurrentPrincipal } from '../../auth/auth.decorators';
import { Principal } from '../../auth/principal';
import { notFound } from '../../common/api-error';
import { Params } from '../../common/params.decorator';
import { UsersService } from '../../identity/users.service';
import { ProjectsService } from '../../namespaces/projects.service';
import { CreateDeployKeyBody, CreateProjectDeployKeyBody, DeployKeyResponse, ProjectDeployKeyResponse, UpdateProjectDeployKeyBody } from '../dto/deploy-keys.dto';
import { ADMIN_CONSUMERS, findProjectOr404, pathId } from './admin-lookups';
import { DeployKeysService, DeployKeyView } from './deploy-keys.service';

/** The creator of a deploy key: ext `user_id`, else the calling admin; unknown → 404 `User Not Found`. */
async function creatorId(users: UsersService, input: CreateDeployKeyBody, principal: Principal): Promise<number> {
  if (input.user_id !== undefined) {
    const user = input.user_id > 0 ? await users.findById(input.user_id) : null;
    if (!user) throw notFound('User');
    return user.id;
  }
  return principal.scheme === 'admin' ? principal.user.id : 0;
}

@ApiTags('Admin: deploy keys')
@AdminAuth()
@Controller('api/v4')
export class DeployKeysAdminController {
  constructor(
    private readonly deployKeys: DeployKeysService,
    private readonly projects: ProjectsService,
    private readonly users: UsersService,
  ) {}

  @Post('deploy_keys')
  @ApiOperation({ operationId: 'adminCreateDeployKey', summary: 'Create a deploy key enabled nowhere', description: ADMIN_CONSUMERS })
  @ApiBody({ type: CreateDeployKeyBody })
  @ApiCreatedResponse({ type: DeployKeyResponse })
  @ApiBadRequestResponse({ description: 'Missing title/key, invalid key, or key material already in use' })
  async create(@Params() input: CreateDeployKeyBody, @CurrentPrincipal() principal: Principal): Promise<DeployKeyView> {
    const userId = await creatorId(this.users, input, principal);
    const key = await this.deployKeys.create({ title: input.title, key: input.key, expiresAt: input.expires_at, userId });
    return DeployKeysService.view(key);
  }

  @Post('projects/:id/deploy_keys')
  @ApiOperation({
    operationId: 'adminCreateProjectDeployKey',
    summary: 'Add a deploy key to a project',
    description: `Creates the key and enables it; existing deploy-key material is enabled instead. ${ADMIN_CONSUMERS}`,
  })
  @ApiBody({ type: CreateProjectDeployKeyBody })
  @ApiCreatedResponse({ type: ProjectDeployKeyResponse })
  @ApiNotFoundResponse({ description: '404 Project Not Found' })
  async createForProject(
    @Param('id') id: string,
    @Params() input: CreateProjectDeployKeyBody,
    @CurrentPrincipal() principal: Principal,
  ): Promise<DeployKeyView> {
    const project = await findProjectOr404(this.projects, id);
    const userId = await creatorId(this.users, input, principal);
    return this.deployKeys.createForProject(project.id, { title: input.title, key: input.key, expiresAt: input.expires_at, userId, canPush: input.can_push });
  }

  @Post('projects/:id/deploy_keys/:key_id/enable')
  @ApiOperation({ operationId: 'adminEnableDeployKey', summary: 'Enable an existing deploy key on a project (read-only)', description: ADMIN_CONSUMERS })
  @ApiCreatedResponse({ type: ProjectDeployKeyResponse })
  @ApiNotFoundResponse({ description: '404 Project Not Found / 404 Deploy Key Not Found' })
  async enable(@Param('id') id: string, @Param('key_id') keyId: string): Promise<DeployKeyView> {
    const project = await findProjectOr404(this.projects, id);
    return this.deployKeys.enable(project.id, pathId(keyId, 'Deploy Key'));
  }

  @Put('projects/:id/deploy_keys/:key_id')
  @ApiOperation({ operationId: 'adminUpdateProjectDeployKey', summary: 'Change can_push or the title of an enabled deploy key', description: ADMIN_CONSUMERS })
  @ApiBody({ type: UpdateProjectDeployKeyBody })
  @ApiOkResponse({ type: ProjectDeployKeyResponse })
  @ApiNotFoundResponse({ description: '404 Project Not Found / 404 Deploy Key Not Found' })
  async update(@Param('id') id: string, @Param('key_id') keyId: string, @Params() input: UpdateProjectDeployKeyBody): Promise<DeployKeyView> {
    const project = await findProjectOr404(this.projects, id);
    return this.deployKeys.update(project.id, pathId(keyId, 'Deploy Key'), { canPush: input.can_push, title: input.title });
  }

  @Delete('projects/:id/deploy_keys/:key_id')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'adminDisableDeployKey',
    summary: 'Remove a deploy key from a project',
    description: `Disables the key; the key is deleted once no project uses it. ${ADMIN_CONSUMERS}`,
  })
  @ApiNoContentResponse({ description: 'Disabled' })
  @ApiNotFoundResponse({ description: '404 Project Not Found / 404 Deploy Key Not Found' })
  async disable(@Param('id') id: string, @Param('key_id') keyId: string): Promise<void> {
    const project = await findProjectOr404(this.projects, id);
    await this.deployKeys.disable(project.id, pathId(keyId, 'Deploy Key'));
  }
}
