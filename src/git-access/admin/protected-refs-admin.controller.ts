import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminAuth } from '../../auth/auth.decorators';
import { Params } from '../../common/params.decorator';
import { ProjectsService } from '../../namespaces/projects.service';
import { CreateProtectedBranchBody, CreateProtectedTagBody, ProtectedBranchResponse, ProtectedTagResponse, UpdateProtectedBranchBody } from '../dto/protected-refs.dto';
import { ADMIN_CONSUMERS, findProjectOr404 } from './admin-lookups';
import { branchInput, ProtectedBranchView, ProtectedRefsService, ProtectedTagView, tagInput } from './protected-refs.service';

@ApiTags('Admin: protected refs')
@AdminAuth()
@Controller('api/v4/projects/:id')
export class ProtectedRefsAdminController {
  constructor(
    private readonly refs: ProtectedRefsService,
    private readonly projects: ProjectsService,
  ) {}

  @Post('protected_branches')
  @ApiOperation({ operationId: 'adminProtectBranch', summary: 'Protect a branch (exact name or `*` pattern)', description: ADMIN_CONSUMERS })
  @ApiBody({ type: CreateProtectedBranchBody })
  @ApiCreatedResponse({ type: ProtectedBranchResponse })
  @ApiBadRequestResponse({ description: 'Missing name, invalid level, or a deploy key not enabled with can_push' })
  @ApiConflictResponse({ description: "Protected branch '<name>' already exists" })
  async protectBranch(@Param('id') id: string, @Params() input: CreateProtectedBranchBody): Promise<ProtectedBranchView> {
    const project = await findProjectOr404(this.projects, id);
    return this.refs.createBranch(project.id, branchInput(input));
  }

  @Get('protected_branches/:name')
  @ApiOperation({ operationId: 'adminGetProtectedBranch', summary: 'A protected branch rule', description: ADMIN_CONSUMERS })
  @ApiOkResponse({ type: ProtectedBranchResponse })
  @ApiNotFoundResponse({ description: '404 Not found' })
  async getBranch(@Param('id') id: string, @Param('name') name: string): Promise<ProtectedBranchView> {
    const project = await findProjectOr404(this.projects, id);
    return this.refs.findBranch(project.id, name);
  }

  @Patch('protected_branches/:name')
  @ApiOperation({ operationId: 'adminUpdateProtectedBranch', summary: 'Change allow_force_push (ext: add push access levels)', description: ADMIN_CONSUMERS })
  @ApiBody({ type: UpdateProtectedBranchBody })
  @ApiOkResponse({ type: ProtectedBranchResponse })
  @ApiNotFoundResponse({ description: '404 Not found' })
  async updateBranch(@Param('id') id: string, @Param('name') name: string, @Params() input: UpdateProtectedBranchBody): Promise<ProtectedBranchView> {
    const project = await findProjectOr404(this.projects, id);
    return this.refs.updateBranch(project.id, name, { allowForcePush: input.allow_force_push, push: input.allowed_to_push });
  }

  @Delete('protected_branches/:name')
  @HttpCode(204)
  @ApiOperation({ operationId: 'adminUnprotectBranch', summary: 'Unprotect a branch', description: ADMIN_CONSUMERS })
  @ApiNoContentResponse({ description: 'Unprotected' })
  @ApiNotFoundResponse({ description: '404 Not found' })
  async unprotectBranch(@Param('id') id: string, @Param('name') name: string): Promise<void> {
    const project = await findProjectOr404(this.projects, id);
    await this.refs.deleteBranch(project.id, name);
  }

  @Post('protected_tags')
  @ApiOperation({ operationId: 'adminProtectTag', summary: 'Protect a tag (exact name or `*` pattern)', description: ADMIN_CONSUMERS })
  @ApiBody({ type: CreateProtectedTagBody })
  @ApiCreatedResponse({ type: ProtectedTagResponse })
  @ApiConflictResponse({ description: "Protected tag '<name>' already exists" })
  async protectTag(@Param('id') id: string, @Params() input: CreateProtectedTagBody): Promise<ProtectedTagView> {
    const project = await findProjectOr404(this.projects, id);
    return this.refs.createTag(project.id, tagInput(input));
  }

  @Get('protected_tags/:name')
  @ApiOperation({ operationId: 'adminGetProtectedTag', summary: 'A protected tag rule', description: ADMIN_CONSUMERS })
  @ApiOkResponse({ type: ProtectedTagResponse })
  @ApiNotFoundResponse({ description: '404 Not found' })
  async getTag(@Param('id') id: string, @Param('name') name: string): Promise<ProtectedTagView> {
    const project = await findProjectOr404(this.projects, id);
    return this.refs.findTag(project.id, name);
  }

  @Delete('protected_tags/:name')
  @HttpCode(204)
  @ApiOperation({ operationId: 'adminUnprotectTag', summary: 'Unprotect a tag', description: ADMIN_CONSUMERS })
  @ApiNoContentResponse({ description: 'Unprotected' })
  @ApiNotFoundResponse({ description: '404 Not found' })
  async unprotectTag(@Param('id') id: string, @Param('name') name: string): Promise<void> {
    const project = await findProjectOr404(this.projects, id);
    await this.refs.deleteTag(project.id, name);
  }
}
