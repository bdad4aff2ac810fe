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
import { AdminAuth } from '../auth/auth.decorators';
import { accepted } from '../common/api-error';
import { Paginated, Paginates, pageRequest } from '../common/pagination';
import { Params } from '../common/params.decorator';
import { PageParams } from '../common/params';
import { AdminGroupsService } from './admin-groups.service';
import { AdminMembersService } from './admin-members.service';
import { AcceptedResponse, GroupEntity, MemberEntity } from './dto/admin-responses.dto';
import { CreateGroupBody, UpdateGroupBody } from './dto/groups.dto';
import { AddGroupMemberBody, UpdateGroupMemberBody } from './dto/members.dto';

const CONSUMERS = 'Known consumers: operators, test fixtures of every module.';

/** Groups and their direct members. `:id` is the numeric id or the URL-encoded full path. */
@ApiTags('Admin: groups')
@AdminAuth()
@Paginates()
@Controller('api/v4/groups')
export class GroupsAdminController {
  constructor(
    private readonly groups: AdminGroupsService,
    private readonly members: AdminMembersService,
  ) {}

  @Post()
  @ApiOperation({ operationId: 'adminCreateGroup', summary: 'Create a group', description: `The calling admin does not become a member. ${CONSUMERS}` })
  @ApiBody({ type: CreateGroupBody })
  @ApiCreatedResponse({ type: GroupEntity })
  @ApiBadRequestResponse({ description: 'Missing or invalid parameters; {"message":{"path":["has already been taken"]}}' })
  @ApiNotFoundResponse({ description: '404 Group Not Found (parent_id)' })
  createGroup(@Params() input: CreateGroupBody): Promise<GroupEntity> {
    return this.groups.create(input);
  }

  @Get(':id')
  @ApiOperation({ operationId: 'adminGetGroup', summary: 'Get a group', description: CONSUMERS })
  @ApiOkResponse({ type: GroupEntity })
  @ApiNotFoundResponse({ description: '404 Group Not Found' })
  getGroup(@Param('id') id: string): Promise<GroupEntity> {
    return this.groups.get(id);
  }

  @Put(':id')
  @ApiOperation({ operationId: 'adminUpdateGroup', summary: 'Update a group', description: `A new path renames the group and everything below it; the old full paths become redirect routes. ${CONSUMERS}` })
  @ApiBody({ type: UpdateGroupBody })
  @ApiOkResponse({ type: GroupEntity })
  @ApiNotFoundResponse({ description: '404 Group Not Found' })
  updateGroup(@Param('id') id: string, @Params() input: UpdateGroupBody): Promise<GroupEntity> {
    return this.groups.update(id, input);
  }

  @Delete(':id')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'adminDeleteGroup',
    summary: 'Delete a group',
    description: `Deletes the group, its subgroups and their projects with their memberships and redirect routes (immediately; answers 202 as GitLab). ${CONSUMERS}`,
  })
  @ApiAcceptedResponse({ type: AcceptedResponse })
  @ApiNotFoundResponse({ description: '404 Group Not Found' })
  async deleteGroup(@Param('id') id: string): Promise<AcceptedResponse> {
    await this.groups.remove(id);
    return accepted();
  }

  @Post(':id/members')
  @ApiOperation({ operationId: 'adminAddGroupMember', summary: 'Add a group member', description: `Levels 5, 10, 15, 20, 30, 40, 50; ext state (active|awaiting) and requested (an access request). ${CONSUMERS}` })
  @ApiBody({ type: AddGroupMemberBody })
  @ApiCreatedResponse({ type: MemberEntity })
  @ApiConflictResponse({ description: 'Member already exists' })
  @ApiNotFoundResponse({ description: '404 Group Not Found / 404 User Not Found' })
  addGroupMember(@Param('id') id: string, @Params() input: AddGroupMemberBody): Promise<MemberEntity> {
    return this.members.add(this.groups.source(id), input);
  }

  @Get(':id/members')
  @ApiOperation({ operationId: 'adminListGroupMembers', summary: 'List direct group members', description: `Paginated. ${CONSUMERS}` })
  @ApiQuery({ type: PageParams })
  @ApiOkResponse({ type: [MemberEntity] })
  @ApiNotFoundResponse({ description: '404 Group Not Found' })
  listGroupMembers(@Param('id') id: string, @Params() page: PageParams): Promise<Paginated<MemberEntity>> {
    return this.members.list(this.groups.source(id), pageRequest(page));
  }

  @Get(':id/members/:user_id')
  @ApiOperation({ operationId: 'adminGetGroupMember', summary: 'Get a direct group member', description: CONSUMERS })
  @ApiOkResponse({ type: MemberEntity })
  @ApiNotFoundResponse({ description: '404 Group Not Found / 404 Member Not Found' })
  getGroupMember(@Param('id') id: string, @Param('user_id') userId: string): Promise<MemberEntity> {
    return this.members.get(this.groups.source(id), userId);
  }

  @Put(':id/members/:user_id')
  @ApiOperation({ operationId: 'adminUpdateGroupMember', summary: 'Update a group member', description: CONSUMERS })
  @ApiBody({ type: UpdateGroupMemberBody })
  @ApiOkResponse({ type: MemberEntity })
  @ApiNotFoundResponse({ description: '404 Group Not Found / 404 Member Not Found' })
  updateGroupMember(@Param('id') id: string, @Param('user_id') userId: string, @Params() input: UpdateGroupMemberBody): Promise<MemberEntity> {
    return this.members.update(this.groups.source(id), userId, input);
  }

  @Delete(':id/members/:user_id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'adminRemoveGroupMember', summary: 'Remove a group member', description: CONSUMERS })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiNotFoundResponse({ description: '404 Group Not Found / 404 Member Not Found' })
  async removeGroupMember(@Param('id') id: string, @Param('user_id') userId: string): Promise<void> {
    await this.members.remove(this.groups.source(id), userId);
  }
}
