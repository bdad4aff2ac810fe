import { Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AdminAuth, CurrentPrincipal } from '../../auth/auth.decorators';
import { Principal } from '../../auth/principal';
import { notFound } from '../../common/api-error';
import { Params } from '../../common/params.decorator';
import { UsersService } from '../../identity/users.service';
import { ProjectsService } from '../../namespaces/projects.service';
import { ApplicationSettingsService } from '../../settings/application-settings.service';
import { ApplicationSetting } from '../../settings/application-setting.entity';
import { ApplicationSettingsResponse, UpdateApplicationSettingsBody } from '../dto/application-settings.dto';
import { BroadcastMessageResponse, CreateBroadcastMessageBody } from '../dto/broadcast-messages.dto';
import {
  CreateDeployKeyBody,
  CreateProjectDeployKeyBody,
  DeployKeyResponse,
  ProjectDeployKeyResponse,
  UpdateProjectDeployKeyBody,
} from '../dto/deploy-keys.dto';
import {
  CreateProtectedBranchBody,
  CreateProtectedTagBody,
  ProtectedBranchResponse,
  ProtectedTagResponse,
  UpdateProtectedBranchBody,
} from '../dto/protected-refs.dto';
import { findProjectOr404, pathId } from './admin-lookups';
import { BroadcastMessagesService, BroadcastMessageView } from './broadcast-messages.service';
import { DeployKeysService, DeployKeyView } from './deploy-keys.service';
import { branchInput, ProtectedBranchView, ProtectedRefsService, ProtectedTagView, tagInput } from './protected-refs.service';

const CONSUMERS = 'Known consumers: operators and test harnesses (fixtures for the shell/Gitaly internal routes).';

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
export class AdminDeployKeysController {
  constructor(
    private readonly deployKeys: DeployKeysService,
    private readonly projects: ProjectsService,
    private readonly users: UsersService,
  ) {}

  @Post('deploy_keys')
  @ApiOperation({ operationId: 'adminCreateDeployKey', summary: 'Create a deploy key enabled nowhere', description: CONSUMERS })
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
    description: `Creates the key and enables it; existing deploy-key material is enabled instead. ${CONSUMERS}`,
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
  @ApiOperation({ operationId: 'adminEnableDeployKey', summary: 'Enable an existing deploy key on a project (read-only)', description: CONSUMERS })
  @ApiCreatedResponse({ type: ProjectDeployKeyResponse })
  @ApiNotFoundResponse({ description: '404 Project Not Found / 404 Deploy Key Not Found' })
  async enable(@Param('id') id: string, @Param('key_id') keyId: string): Promise<DeployKeyView> {
    const project = await findProjectOr404(this.projects, id);
    return this.deployKeys.enable(project.id, pathId(keyId, 'Deploy Key'));
  }

  @Put('projects/:id/deploy_keys/:key_id')
  @ApiOperation({ operationId: 'adminUpdateProjectDeployKey', summary: 'Change can_push or the title of an enabled deploy key', description: CONSUMERS })
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
    description: `Disables the key; the key is deleted once no project uses it. ${CONSUMERS}`,
  })
  @ApiNoContentResponse({ description: 'Disabled' })
  @ApiNotFoundResponse({ description: '404 Project Not Found / 404 Deploy Key Not Found' })
  async disable(@Param('id') id: string, @Param('key_id') keyId: string): Promise<void> {
    const project = await findProjectOr404(this.projects, id);
    await this.deployKeys.disable(project.id, pathId(keyId, 'Deploy Key'));
  }
}

@ApiTags('Admin: protected refs')
@AdminAuth()
@Controller('api/v4/projects/:id')
export class AdminProtectedRefsController {
  constructor(
    private readonly refs: ProtectedRefsService,
    private readonly projects: ProjectsService,
  ) {}

  @Post('protected_branches')
  @ApiOperation({ operationId: 'adminProtectBranch', summary: 'Protect a branch (exact name or `*` pattern)', description: CONSUMERS })
  @ApiBody({ type: CreateProtectedBranchBody })
  @ApiCreatedResponse({ type: ProtectedBranchResponse })
  @ApiBadRequestResponse({ description: 'Missing name, invalid level, or a deploy key not enabled with can_push' })
  @ApiConflictResponse({ description: "Protected branch '<name>' already exists" })
  async protectBranch(@Param('id') id: string, @Params() input: CreateProtectedBranchBody): Promise<ProtectedBranchView> {
    const project = await findProjectOr404(this.projects, id);
    return this.refs.createBranch(project.id, branchInput(input));
  }

  @Get('protected_branches/:name')
  @ApiOperation({ operationId: 'adminGetProtectedBranch', summary: 'A protected branch rule', description: CONSUMERS })
  @ApiOkResponse({ type: ProtectedBranchResponse })
  @ApiNotFoundResponse({ description: '404 Not found' })
  async getBranch(@Param('id') id: string, @Param('name') name: string): Promise<ProtectedBranchView> {
    const project = await findProjectOr404(this.projects, id);
    return this.refs.findBranch(project.id, name);
  }

  @Patch('protected_branches/:name')
  @ApiOperation({ operationId: 'adminUpdateProtectedBranch', summary: 'Change allow_force_push (ext: add push access levels)', description: CONSUMERS })
  @ApiBody({ type: UpdateProtectedBranchBody })
  @ApiOkResponse({ type: ProtectedBranchResponse })
  @ApiNotFoundResponse({ description: '404 Not found' })
  async updateBranch(@Param('id') id: string, @Param('name') name: string, @Params() input: UpdateProtectedBranchBody): Promise<ProtectedBranchView> {
    const project = await findProjectOr404(this.projects, id);
    return this.refs.updateBranch(project.id, name, { allowForcePush: input.allow_force_push, push: input.allowed_to_push });
  }

  @Delete('protected_branches/:name')
  @HttpCode(204)
  @ApiOperation({ operationId: 'adminUnprotectBranch', summary: 'Unprotect a branch', description: CONSUMERS })
  @ApiNoContentResponse({ description: 'Unprotected' })
  @ApiNotFoundResponse({ description: '404 Not found' })
  async unprotectBranch(@Param('id') id: string, @Param('name') name: string): Promise<void> {
    const project = await findProjectOr404(this.projects, id);
    await this.refs.deleteBranch(project.id, name);
  }

  @Post('protected_tags')
  @ApiOperation({ operationId: 'adminProtectTag', summary: 'Protect a tag (exact name or `*` pattern)', description: CONSUMERS })
  @ApiBody({ type: CreateProtectedTagBody })
  @ApiCreatedResponse({ type: ProtectedTagResponse })
  @ApiConflictResponse({ description: "Protected tag '<name>' already exists" })
  async protectTag(@Param('id') id: string, @Params() input: CreateProtectedTagBody): Promise<ProtectedTagView> {
    const project = await findProjectOr404(this.projects, id);
    return this.refs.createTag(project.id, tagInput(input));
  }

  @Get('protected_tags/:name')
  @ApiOperation({ operationId: 'adminGetProtectedTag', summary: 'A protected tag rule', description: CONSUMERS })
  @ApiOkResponse({ type: ProtectedTagResponse })
  @ApiNotFoundResponse({ description: '404 Not found' })
  async getTag(@Param('id') id: string, @Param('name') name: string): Promise<ProtectedTagView> {
    const project = await findProjectOr404(this.projects, id);
    return this.refs.findTag(project.id, name);
  }

  @Delete('protected_tags/:name')
  @HttpCode(204)
  @ApiOperation({ operationId: 'adminUnprotectTag', summary: 'Unprotect a tag', description: CONSUMERS })
  @ApiNoContentResponse({ description: 'Unprotected' })
  @ApiNotFoundResponse({ description: '404 Not found' })
  async unprotectTag(@Param('id') id: string, @Param('name') name: string): Promise<void> {
    const project = await findProjectOr404(this.projects, id);
    await this.refs.deleteTag(project.id, name);
  }
}

@ApiTags('Admin: broadcast messages')
@AdminAuth()
@Controller('api/v4/broadcast_messages')
export class AdminBroadcastMessagesController {
  constructor(private readonly broadcasts: BroadcastMessagesService) {}

  @Post()
  @ApiOperation({ operationId: 'adminCreateBroadcastMessage', summary: 'Create a broadcast message', description: `Active CLI banners are shown after git push. ${CONSUMERS}` })
  @ApiBody({ type: CreateBroadcastMessageBody })
  @ApiCreatedResponse({ type: BroadcastMessageResponse })
  @ApiBadRequestResponse({ description: 'message is missing, or an invalid value' })
  create(@Params() input: CreateBroadcastMessageBody): Promise<BroadcastMessageView> {
    return this.broadcasts.create({
      message: input.message,
      startsAt: input.starts_at ?? undefined,
      endsAt: input.ends_at ?? undefined,
      broadcastType: input.broadcast_type,
      targetPath: input.target_path || null,
      targetAccessLevels: input.target_access_levels,
      showInCli: input.show_in_cli,
      dismissable: input.dismissable,
    });
  }

  @Delete(':id')
  @ApiOperation({ operationId: 'adminDeleteBroadcastMessage', summary: 'Delete a broadcast message', description: `Answers 200 with the deleted entity, as GitLab does. ${CONSUMERS}` })
  @ApiOkResponse({ type: BroadcastMessageResponse })
  @ApiNotFoundResponse({ description: '404 Broadcast Message Not Found' })
  delete(@Param('id') id: string): Promise<BroadcastMessageView> {
    return this.broadcasts.delete(pathId(id, 'Broadcast Message'));
  }
}

type SettingsView = Pick<
  ApplicationSetting,
  'enabled_git_access_protocol' | 'receive_max_input_size' | 'gitlab_shell_operation_limit' | 'error_tracking_enabled' | 'require_personal_access_token_expiry'
>;

function settingsView(s: ApplicationSetting): SettingsView {
  return {
    enabled_git_access_protocol: s.enabled_git_access_protocol,
    receive_max_input_size: s.receive_max_input_size,
    gitlab_shell_operation_limit: s.gitlab_shell_operation_limit,
    error_tracking_enabled: s.error_tracking_enabled,
    require_personal_access_token_expiry: s.require_personal_access_token_expiry,
  };
}

@ApiTags('Admin: application settings')
@AdminAuth()
@Controller('api/v4/application/settings')
export class AdminApplicationSettingsController {
  constructor(private readonly settings: ApplicationSettingsService) {}

  @Get()
  @ApiOperation({ operationId: 'adminGetApplicationSettings', summary: 'The instance settings the internal API reads', description: CONSUMERS })
  @ApiOkResponse({ type: ApplicationSettingsResponse })
  async get(): Promise<SettingsView> {
    return settingsView(await this.settings.current());
  }

  @Put()
  @ApiOperation({ operationId: 'adminUpdateApplicationSettings', summary: 'Change instance settings (applied from the next request)', description: CONSUMERS })
  @ApiBody({ type: UpdateApplicationSettingsBody })
  @ApiOkResponse({ type: ApplicationSettingsResponse })
  @ApiBadRequestResponse({ description: '<setting> does not have a valid value / is invalid' })
  async update(@Params() input: UpdateApplicationSettingsBody): Promise<SettingsView> {
    const changes: Partial<SettingsView> = { ...input };
    return settingsView(await this.settings.update(changes));
  }
}
