import { Controller, Delete, Get, Header, HttpCode, Param, Post, Put } from '@nestjs/common';
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
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { AdminAuth } from '../auth/auth.decorators';
import { Paginated, Paginates, pageRequest } from '../common/pagination';
import { PageParams } from '../common/params';
import { Params } from '../common/params.decorator';
import { AdminUsersService } from './admin-users.service';
import { PersonalAccessTokenEntity, SshKeyEntity, UserEntity } from './dto/admin-responses.dto';
import { CreateKeyBody, CreatePatBody, CreateUserBody, ListUsersQuery, UpdateUserBody } from './dto/users.dto';
import { AdminPersonalAccessTokensService } from './users/admin-personal-access-tokens.service';
import { AdminUserKeysService } from './users/admin-user-keys.service';

const CONSUMERS = 'Known consumers: operators, test fixtures of every module.';
const JSON_TYPE = 'application/json; charset=utf-8';

/** Users, their SSH keys and personal access tokens. */
@ApiTags('Admin: users')
@AdminAuth()
@Paginates()
@Controller('api/v4')
export class UsersAdminController {
  constructor(
    private readonly users: AdminUsersService,
    private readonly keys: AdminUserKeysService,
    private readonly tokens: AdminPersonalAccessTokensService,
  ) {}

  @Post('users')
  @ApiOperation({ operationId: 'adminCreateUser', summary: 'Create a user', description: `Creates a user with its personal namespace (and an identity when provider + extern_uid are given). ${CONSUMERS}` })
  @ApiBody({ type: CreateUserBody })
  @ApiCreatedResponse({ type: UserEntity })
  @ApiBadRequestResponse({ description: 'Missing or invalid parameters, model errors' })
  @ApiConflictResponse({ description: 'Username has already been taken / Email has already been taken' })
  @ApiNotFoundResponse({ description: '404 Group Not Found: enterprise_group_id names no group' })
  createUser(@Params() input: CreateUserBody): Promise<UserEntity> {
    return this.users.create(input);
  }

  @Get('users')
  @ApiOperation({ operationId: 'adminListUsers', summary: 'List users', description: `Filter by exact username (case-insensitive) or search username/name/email; paginated. ${CONSUMERS}` })
  @ApiQuery({ type: ListUsersQuery })
  @ApiOkResponse({ type: [UserEntity] })
  listUsers(@Params() query: ListUsersQuery): Promise<Paginated<UserEntity>> {
    return this.users.list(query, pageRequest(query));
  }

  @Get('users/:id')
  @ApiOperation({ operationId: 'adminGetUser', summary: 'Get a user', description: `:id is the numeric id or the username. ${CONSUMERS}` })
  @ApiOkResponse({ type: UserEntity })
  @ApiNotFoundResponse({ description: '404 User Not Found' })
  getUser(@Param('id') id: string): Promise<UserEntity> {
    return this.users.get(id);
  }

  @Put('users/:id')
  @ApiOperation({ operationId: 'adminUpdateUser', summary: 'Update a user', description: `A new username renames the personal namespace (old paths become redirect routes). ${CONSUMERS}` })
  @ApiBody({ type: UpdateUserBody })
  @ApiOkResponse({ type: UserEntity })
  @ApiNotFoundResponse({ description: '404 User Not Found' })
  @ApiConflictResponse({ description: 'Username has already been taken / Email has already been taken' })
  updateUser(@Param('id') id: string, @Params() input: UpdateUserBody): Promise<UserEntity> {
    return this.users.update(id, input);
  }

  @Delete('users/:id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'adminDeleteUser', summary: 'Delete a user', description: `Removes the user, its keys, tokens, identities, memberships and personal namespace with its projects, in one transaction. ${CONSUMERS}` })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: '404 User Not Found' })
  async deleteUser(@Param('id') id: string): Promise<void> {
    await this.users.remove(id);
  }

  @Post('users/:id/block')
  @Header('Content-Type', JSON_TYPE)
  @ApiOperation({ operationId: 'adminBlockUser', summary: 'Block a user', description: `Answers 201 true. ${CONSUMERS}` })
  @ApiCreatedResponse({ schema: { type: 'boolean', example: true } })
  @ApiForbiddenResponse({ description: '403 Forbidden - LDAP blocked users cannot be modified by the API' })
  @ApiNotFoundResponse({ description: '404 User Not Found' })
  blockUser(@Param('id') id: string): Promise<true> {
    return this.users.transition(id, 'block');
  }

  @Post('users/:id/unblock')
  @Header('Content-Type', JSON_TYPE)
  @ApiOperation({ operationId: 'adminUnblockUser', summary: 'Unblock a user', description: `Answers 201 true. ${CONSUMERS}` })
  @ApiCreatedResponse({ schema: { type: 'boolean', example: true } })
  @ApiForbiddenResponse({ description: 'LDAP blocked or deactivated users cannot be unblocked by the API' })
  @ApiNotFoundResponse({ description: '404 User Not Found' })
  unblockUser(@Param('id') id: string): Promise<true> {
    return this.users.transition(id, 'unblock');
  }

  @Post('users/:id/deactivate')
  @Header('Content-Type', JSON_TYPE)
  @ApiOperation({ operationId: 'adminDeactivateUser', summary: 'Deactivate a user', description: `Answers 201 true. ${CONSUMERS}` })
  @ApiCreatedResponse({ schema: { type: 'boolean', example: true } })
  @ApiForbiddenResponse({ description: '403 Forbidden - A blocked user cannot be deactivated by the API' })
  @ApiNotFoundResponse({ description: '404 User Not Found' })
  deactivateUser(@Param('id') id: string): Promise<true> {
    return this.users.transition(id, 'deactivate');
  }

  @Post('users/:id/activate')
  @Header('Content-Type', JSON_TYPE)
  @ApiOperation({ operationId: 'adminActivateUser', summary: 'Activate a user', description: `Answers 201 true. ${CONSUMERS}` })
  @ApiCreatedResponse({ schema: { type: 'boolean', example: true } })
  @ApiForbiddenResponse({ description: '403 Forbidden - A blocked user must be unblocked to be activated' })
  @ApiNotFoundResponse({ description: '404 User Not Found' })
  activateUser(@Param('id') id: string): Promise<true> {
    return this.users.transition(id, 'activate');
  }

  @Post('users/:id/keys')
  @ApiOperation({ operationId: 'adminAddUserKey', summary: 'Add an SSH key to a user', description: `Key material exists once, as a user key or a deploy key. ${CONSUMERS}` })
  @ApiBody({ type: CreateKeyBody })
  @ApiCreatedResponse({ type: SshKeyEntity })
  @ApiBadRequestResponse({ description: '{"message":{"key":["is invalid"]}} / {"message":{"fingerprint_sha256":["has already been taken"]}}' })
  @ApiNotFoundResponse({ description: '404 User Not Found' })
  addUserKey(@Param('id') id: string, @Params() input: CreateKeyBody): Promise<SshKeyEntity> {
    return this.keys.add(id, input);
  }

  @Get('users/:id/keys')
  @ApiOperation({ operationId: 'adminListUserKeys', summary: "List a user's SSH keys", description: `Paginated. ${CONSUMERS}` })
  @ApiQuery({ type: PageParams })
  @ApiOkResponse({ type: [SshKeyEntity] })
  @ApiNotFoundResponse({ description: '404 User Not Found' })
  listUserKeys(@Param('id') id: string, @Params() page: PageParams): Promise<Paginated<SshKeyEntity>> {
    return this.keys.list(id, pageRequest(page));
  }

  @Delete('users/:id/keys/:key_id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'adminDeleteUserKey', summary: "Delete a user's SSH key", description: CONSUMERS })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: '404 User Not Found / 404 Key Not Found' })
  async deleteUserKey(@Param('id') id: string, @Param('key_id') keyId: string): Promise<void> {
    await this.keys.remove(id, keyId);
  }

  @Post('users/:user_id/personal_access_tokens')
  @ApiOperation({ operationId: 'adminCreatePersonalAccessToken', summary: 'Create a personal access token for a user', description: `The clear token appears only in this answer; only its SHA-256 is stored. ${CONSUMERS}` })
  @ApiBody({ type: CreatePatBody })
  @ApiCreatedResponse({ type: PersonalAccessTokenEntity })
  @ApiBadRequestResponse({ description: 'scopes does not have a valid value / expires_at must be before …' })
  @ApiNotFoundResponse({ description: '404 User Not Found' })
  createPersonalAccessToken(@Param('user_id') userId: string, @Params() input: CreatePatBody): Promise<PersonalAccessTokenEntity> {
    return this.tokens.create(userId, input);
  }

  @Delete('personal_access_tokens/:id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'adminRevokePersonalAccessToken', summary: 'Revoke a personal access token', description: CONSUMERS })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiNotFoundResponse({ description: '404 Not found' })
  async revokePersonalAccessToken(@Param('id') id: string): Promise<void> {
    await this.tokens.revoke(id);
  }
}
