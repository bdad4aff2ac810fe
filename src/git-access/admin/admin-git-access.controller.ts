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
import { notFound, paramError } from '../../common/api-error';
import { idParam, INVALID, intParam, isPresent, stringParam } from '../../common/coerce';
import { Params, RawParams } from '../../common/params.decorator';
import { UsersService } from '../../identity/users.service';
import { ProjectsService } from '../../namespaces/projects.service';
import { ApplicationSettingsService } from '../../settings/application-settings.service';
import { ApplicationSetting } from '../../settings/entities/application-setting.entity';
import {
  ApplicationSettingsResponse,
  BroadcastMessageResponse,
  CreateBroadcastMessageRequest,
  CreateDeployKeyRequest,
  CreateProjectDeployKeyRequest,
  CreateProtectedBranchRequest,
  CreateProtectedTagRequest,
  DeployKeyResponse,
  ProjectDeployKeyResponse,
  ProtectedBranchResponse,
  ProtectedTagResponse,
  UpdateApplicationSettingsRequest,
  UpdateProjectDeployKeyRequest,
  UpdateProtectedBranchRequest,
} from './admin-dto';
import { findProjectOr404, optionalBool, optionalTimestamp, pathId, requiredString, requireParams } from './admin-params';
import { BroadcastMessagesService, BroadcastMessageView } from './broadcast-messages.service';
import { DeployKeysService, DeployKeyView } from './deploy-keys.service';
import { accessLevelSpecs, ProtectedBranchView, protectedLevel, ProtectedRefsService, ProtectedTagView } from './protected-refs.service';

const CONSUMERS = 'Known consumers: operators and test harnesses (fixtures for the shell/Gitaly internal routes).';

/** The creator of a deploy key: ext `user_id`, else the calling admin; unknown → 404 `User Not Found`. */
async function creatorId(users: UsersService, params: RawParams, principal: Principal): Promise<number> {
  if (isPresent(params.user_id)) {
    const id = idParam(params.user_id);
    const user = id ? await users.findById(id) : null;
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
  @ApiBody({ type: CreateDeployKeyRequest })
  @ApiCreatedResponse({ type: DeployKeyResponse })
  @ApiBadRequestResponse({ description: 'Missing title/key, invalid key, or key material already in use' })
  async create(@Params() params: RawParams, @CurrentPrincipal() principal: Principal): Promise<DeployKeyView> {
    requireParams(params, ['title', 'key']);
    const expiresAt = optionalTimestamp(params, 'expires_at');
    const userId = await creatorId(this.users, params, principal);
    const key = await this.deployKeys.create({ title: requiredString(params, 'title'), key: requiredString(params, 'key'), expiresAt, userId });
    return DeployKeysService.view(key);
  }

  @Post('projects/:id/deploy_keys')
  @ApiOperation({
    operationId: 'adminCreateProjectDeployKey',
    summary: 'Add a deploy key to a project',
    description: `Creates the key and enables it; existing deploy-key material is enabled instead. ${CONSUMERS}`,
  })
  @ApiBody({ type: CreateProjectDeployKeyRequest })
  @ApiCreatedResponse({ type: ProjectDeployKeyResponse })
  @ApiNotFoundResponse({ description: '404 Project Not Found' })
  async createForProject(@Param('id') id: string, @Params() params: RawParams, @CurrentPrincipal() principal: Principal): Promise<DeployKeyView> {
    const project = await findProjectOr404(this.projects, id);
    requireParams(params, ['title', 'key']);
    const canPush = optionalBool(params, 'can_push') ?? false;
    const expiresAt = optionalTimestamp(params, 'expires_at');
    const userId = await creatorId(this.users, params, principal);
    return this.deployKeys.createForProject(project.id, { title: requiredString(params, 'title'), key: requiredString(params, 'key'), expiresAt, userId, canPush });
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
  @ApiBody({ type: UpdateProjectDeployKeyRequest })
  @ApiOkResponse({ type: ProjectDeployKeyResponse })
  @ApiNotFoundResponse({ description: '404 Project Not Found / 404 Deploy Key Not Found' })
  async update(@Param('id') id: string, @Param('key_id') keyId: string, @Params() params: RawParams): Promise<DeployKeyView> {
    const project = await findProjectOr404(this.projects, id);
    const canPush = optionalBool(params, 'can_push');
    const title = stringParam(params.title);
    return this.deployKeys.update(project.id, pathId(keyId, 'Deploy Key'), { canPush, title });
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
  @ApiBody({ type: CreateProtectedBranchRequest })
  @ApiCreatedResponse({ type: ProtectedBranchResponse })
  @ApiBadRequestResponse({ description: 'Missing name, invalid level, or a deploy key not enabled with can_push' })
  @ApiConflictResponse({ description: "Protected branch '<name>' already exists" })
  async protectBranch(@Param('id') id: string, @Params() params: RawParams): Promise<ProtectedBranchView> {
    const project = await findProjectOr404(this.projects, id);
    requireParams(params, ['name']);
    const pushLevel = protectedLevel(params.push_access_level, 'push_access_level');
    const mergeLevel = protectedLevel(params.merge_access_level, 'merge_access_level');
    const allowedToPush = accessLevelSpecs(params.allowed_to_push, 'allowed_to_push', true);
    const allowedToMerge = accessLevelSpecs(params.allowed_to_merge, 'allowed_to_merge', false);
    const allowForcePush = optionalBool(params, 'allow_force_push') ?? false;
    const push = [...(pushLevel !== undefined || !allowedToPush ? [{ access_level: pushLevel ?? 40 }] : []), ...(allowedToPush ?? [])];
    const merge = [...(mergeLevel !== undefined || !allowedToMerge ? [{ access_level: mergeLevel ?? 40 }] : []), ...(allowedToMerge ?? [])];
    return this.refs.createBranch(project.id, { name: requiredString(params, 'name'), push, merge, allowForcePush });
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
  @ApiBody({ type: UpdateProtectedBranchRequest })
  @ApiOkResponse({ type: ProtectedBranchResponse })
  @ApiNotFoundResponse({ description: '404 Not found' })
  async updateBranch(@Param('id') id: string, @Param('name') name: string, @Params() params: RawParams): Promise<ProtectedBranchView> {
    const project = await findProjectOr404(this.projects, id);
    const allowForcePush = optionalBool(params, 'allow_force_push');
    const push = accessLevelSpecs(params.allowed_to_push, 'allowed_to_push', true);
    return this.refs.updateBranch(project.id, name, { allowForcePush, push });
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
  @ApiBody({ type: CreateProtectedTagRequest })
  @ApiCreatedResponse({ type: ProtectedTagResponse })
  @ApiConflictResponse({ description: "Protected tag '<name>' already exists" })
  async protectTag(@Param('id') id: string, @Params() params: RawParams): Promise<ProtectedTagView> {
    const project = await findProjectOr404(this.projects, id);
    requireParams(params, ['name']);
    const level = protectedLevel(params.create_access_level, 'create_access_level');
    const allowed = accessLevelSpecs(params.allowed_to_create, 'allowed_to_create', true);
    const create = [...(level !== undefined || !allowed ? [{ access_level: level ?? 40 }] : []), ...(allowed ?? [])];
    return this.refs.createTag(project.id, { name: requiredString(params, 'name'), create });
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

const MEMBER_LEVELS = [10, 20, 30, 40, 50];

@ApiTags('Admin: broadcast messages')
@AdminAuth()
@Controller('api/v4/broadcast_messages')
export class AdminBroadcastMessagesController {
  constructor(private readonly broadcasts: BroadcastMessagesService) {}

  @Post()
  @ApiOperation({ operationId: 'adminCreateBroadcastMessage', summary: 'Create a broadcast message', description: `Active CLI banners are shown after git push. ${CONSUMERS}` })
  @ApiBody({ type: CreateBroadcastMessageRequest })
  @ApiCreatedResponse({ type: BroadcastMessageResponse })
  @ApiBadRequestResponse({ description: 'message is missing, or an invalid value' })
  create(@Params() params: RawParams): Promise<BroadcastMessageView> {
    requireParams(params, ['message']);
    const message = stringParam(params.message);
    if (message === undefined) throw paramError('message is invalid');
    const broadcastType = stringParam(params.broadcast_type);
    if (broadcastType !== undefined && broadcastType !== 'banner' && broadcastType !== 'notification')
      throw paramError('broadcast_type does not have a valid value');
    let levels: number[] | undefined;
    if (isPresent(params.target_access_levels)) {
      const raw = Array.isArray(params.target_access_levels) ? params.target_access_levels : [params.target_access_levels];
      levels = raw.map((v) => intParam(v)).filter((v) => v !== undefined) as number[];
      if (levels.some((v) => (v as unknown) === INVALID || !MEMBER_LEVELS.includes(v))) throw paramError('target_access_levels does not have a valid value');
    }
    const targetPath = isPresent(params.target_path) ? (stringParam(params.target_path) ?? null) : null;
    return this.broadcasts.create({
      message,
      startsAt: optionalTimestamp(params, 'starts_at') ?? undefined,
      endsAt: optionalTimestamp(params, 'ends_at') ?? undefined,
      broadcastType: broadcastType as 'banner' | 'notification' | undefined,
      targetPath: targetPath === '' ? null : targetPath,
      targetAccessLevels: levels,
      showInCli: optionalBool(params, 'show_in_cli'),
      dismissable: optionalBool(params, 'dismissable'),
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
  @ApiBody({ type: UpdateApplicationSettingsRequest })
  @ApiOkResponse({ type: ApplicationSettingsResponse })
  @ApiBadRequestResponse({ description: '<setting> does not have a valid value / is invalid' })
  async update(@Params() params: RawParams): Promise<SettingsView> {
    const changes: Partial<SettingsView> = {};
    if (params.enabled_git_access_protocol !== undefined) {
      const value = params.enabled_git_access_protocol;
      if (value !== null && value !== '' && value !== 'ssh' && value !== 'http') throw paramError('enabled_git_access_protocol does not have a valid value');
      changes.enabled_git_access_protocol = value as string | null;
    }
    if (params.receive_max_input_size !== undefined) {
      const value = params.receive_max_input_size === null || params.receive_max_input_size === '' ? null : intParam(params.receive_max_input_size);
      if (value === INVALID) throw paramError('receive_max_input_size is invalid');
      if (value !== null && value !== undefined && value < 0) throw paramError('receive_max_input_size does not have a valid value');
      changes.receive_max_input_size = value ?? null;
    }
    if (params.gitlab_shell_operation_limit !== undefined) {
      const value = intParam(params.gitlab_shell_operation_limit);
      if (value === INVALID || value === undefined) throw paramError('gitlab_shell_operation_limit is invalid');
      if (value < 0) throw paramError('gitlab_shell_operation_limit does not have a valid value');
      changes.gitlab_shell_operation_limit = value;
    }
    for (const name of ['error_tracking_enabled', 'require_personal_access_token_expiry'] as const) {
      if (params[name] === undefined) continue;
      const value = optionalBool(params, name);
      if (value === undefined) throw paramError(`${name} is invalid`);
      changes[name] = value;
    }
    return settingsView(await this.settings.update(changes));
  }
}
