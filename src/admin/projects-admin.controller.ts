import { Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { AdminAuth, CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { accepted } from '../common/api-error';
import { Paginated, Paginates, pageRequest } from '../common/pagination';
import { Params } from '../common/params.decorator';
import { PageParams } from '../common/params';
import { User } from '../identity/entities/user.entity';
import { AdminMembersService } from './admin-members.service';
import { AdminProjectsService } from './admin-projects.service';
import { AcceptedResponse, MemberEntity, ProjectEntity } from './dto/admin-responses.dto';
import { AddProjectMemberBody, UpdateProjectMemberBody } from './dto/members.dto';
import { CreateProjectBody, UpdateProjectBody } from './dto/projects.dto';

const CONSUMERS = 'Known consumers: operators, test fixtures of every module.';

const callerOf = (principal: Principal): User => (principal as { user: User }).user;

/** Projects and their direct members. `:id` is the numeric id or the URL-encoded full path. */
@ApiTags('Admin: projects')
@AdminAuth()
@Paginates()
@Controller('api/v4/projects')
export class ProjectsAdminController {
  constructor(
    private readonly projects: AdminProjectsService,
    private readonly members: AdminMembersService,
  ) {}

  @Post()
  @ApiOperation({
    operationId: 'adminCreateProject',
    summary: 'Create a project',
    description: `In namespace_id (default: the calling admin's personal namespace). With a storage that has a local path, the bare repository is initialised. ${CONSUMERS}`,
  })
  @ApiBody({ type: CreateProjectBody })
  @ApiCreatedResponse({ type: ProjectEntity })
  @ApiBadRequestResponse({ description: 'name, path are missing, at least one parameter must be provided; invalid values; model errors' })
  @ApiNotFoundResponse({ description: '404 Namespace Not Found' })
  createProject(@Params() input: CreateProjectBody, @CurrentPrincipal() principal: Principal): Promise<ProjectEntity> {
    return this.projects.create(input, callerOf(principal));
  }

  @Post('user/:user_id')
  @ApiOperation({ operationId: 'adminCreateProjectForUser', summary: "Create a project in a user's namespace", description: CONSUMERS })
  @ApiBody({ type: CreateProjectBody })
  @ApiCreatedResponse({ type: ProjectEntity })
  @ApiNotFoundResponse({ description: '404 User Not Found' })
  createProjectForUser(
    @Param('user_id') userId: string,
    @Params() input: CreateProjectBody,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ProjectEntity> {
    return this.projects.create(input, callerOf(principal), userId);
  }

  @Get(':id')
  @ApiOperation({ operationId: 'adminGetProject', summary: 'Get a project', description: `Projects pending deletion do not exist. ${CONSUMERS}` })
  @ApiOkResponse({ type: ProjectEntity })
  @ApiNotFoundResponse({ description: '404 Project Not Found' })
  getProject(@Param('id') id: string): Promise<ProjectEntity> {
    return this.projects.get(id);
  }

  @Put(':id')
  @ApiOperation({ operationId: 'adminUpdateProject', summary: 'Update a project', description: `A new path renames the project (its old full path becomes a redirect route); default_branch "" clears it. ${CONSUMERS}` })
  @ApiBody({ type: UpdateProjectBody })
  @ApiOkResponse({ type: ProjectEntity })
  @ApiNotFoundResponse({ description: '404 Project Not Found' })
  updateProject(@Param('id') id: string, @Params() input: UpdateProjectBody): Promise<ProjectEntity> {
    return this.projects.update(id, input);
  }

  @Post(':id/archive')
  @ApiOperation({ operationId: 'adminArchiveProject', summary: 'Archive a project', description: CONSUMERS })
  @ApiCreatedResponse({ type: ProjectEntity })
  @ApiNotFoundResponse({ description: '404 Project Not Found' })
  archiveProject(@Param('id') id: string): Promise<ProjectEntity> {
    return this.projects.setArchived(id, true);
  }

  @Post(':id/unarchive')
  @ApiOperation({ operationId: 'adminUnarchiveProject', summary: 'Unarchive a project', description: CONSUMERS })
  @ApiCreatedResponse({ type: ProjectEntity })
  @ApiNotFoundResponse({ description: '404 Project Not Found' })
  unarchiveProject(@Param('id') id: string): Promise<ProjectEntity> {
    return this.projects.setArchived(id, false);
  }

  @Delete(':id')
  @HttpCode(202)
  @ApiOperation({ operationId: 'adminDeleteProject', summary: 'Delete a project', description: `Sets pending_delete at once; a background job removes the row. ${CONSUMERS}` })
  @ApiAcceptedResponse({ type: AcceptedResponse })
  @ApiNotFoundResponse({ description: '404 Project Not Found' })
  async deleteProject(@Param('id') id: string): Promise<AcceptedResponse> {
    await this.projects.scheduleDeletion(id);
    return accepted();
  }

  @Post(':id/members')
  @ApiOperation({ operationId: 'adminAddProjectMember', summary: 'Add a project member', description: `Levels 10, 15, 20, 30, 40, 50; ext state and requested. ${CONSUMERS}` })
  @ApiBody({ type: AddProjectMemberBody })
  @ApiCreatedResponse({ type: MemberEntity })
  @ApiConflictResponse({ description: 'Member already exists' })
  @ApiNotFoundResponse({ description: '404 Project Not Found / 404 User Not Found' })
  addProjectMember(@Param('id') id: string, @Params() input: AddProjectMemberBody): Promise<MemberEntity> {
    return this.members.add(this.projects.source(id), input);
  }

  @Get(':id/members')
  @ApiOperation({ operationId: 'adminListProjectMembers', summary: 'List direct project members', description: `Paginated. ${CONSUMERS}` })
  @ApiQuery({ type: PageParams })
  @ApiOkResponse({ type: [MemberEntity] })
  @ApiNotFoundResponse({ description: '404 Project Not Found' })
  listProjectMembers(@Param('id') id: string, @Params() page: PageParams): Promise<Paginated<MemberEntity>> {
    return this.members.list(this.projects.source(id), pageRequest(page));
  }

  @Get(':id/members/:user_id')
  @ApiOperation({ operationId: 'adminGetProjectMember', summary: 'Get a direct project member', description: CONSUMERS })
  @ApiOkResponse({ type: MemberEntity })
  @ApiNotFoundResponse({ description: '404 Project Not Found / 404 Member Not Found' })
  getProjectMember(@Param('id') id: string, @Param('user_id') userId: string): Promise<MemberEntity> {
    return this.members.get(this.projects.source(id), userId);
  }

  @Put(':id/members/:user_id')
  @ApiOperation({ operationId: 'adminUpdateProjectMember', summary: 'Update a project member', description: CONSUMERS })
  @ApiBody({ type: UpdateProjectMemberBody })
  @ApiOkResponse({ type: MemberEntity })
  @ApiNotFoundResponse({ description: '404 Project Not Found / 404 Member Not Found' })
  updateProjectMember(@Param('id') id: string, @Param('user_id') userId: string, @Params() input: UpdateProjectMemberBody): Promise<MemberEntity> {
    return this.members.update(this.projects.source(id), userId, input);
  }

  @Delete(':id/members/:user_id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'adminRemoveProjectMember', summary: 'Remove a project member', description: CONSUMERS })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiNotFoundResponse({ description: '404 Project Not Found / 404 Member Not Found' })
  async removeProjectMember(@Param('id') id: string, @Param('user_id') userId: string): Promise<void> {
    await this.members.remove(this.projects.source(id), userId);
  }
}
