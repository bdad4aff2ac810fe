import { Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
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
import { pageRequest, Paginated, Paginates } from '../common/pagination';
import { PageParams } from '../common/params';
import { Params } from '../common/params.decorator';
import { User } from '../identity/entities/user.entity';
import { ClusterAgentsService } from './cluster-agents.service';
import { CreateAgentTokenBody, CreateClusterAgentBody, PolicyConfigurationBody } from './dto/admin.dto';
import { AgentTokenDto, ClusterAgentDto, NewAgentTokenDto, PolicyConfigurationDto, VulnerabilityDto } from './dto/responses.dto';
import { PoliciesService } from './policies.service';
import { VulnerabilitiesService } from './vulnerabilities.service';

const CONSUMERS = 'Known consumers: operators and test harnesses preparing kas / agentk fixtures';
const message = (example: string) => ({ schema: { type: 'object', properties: { message: { type: 'string', example } } } });
const error = (example: string) => ({ schema: { type: 'object', properties: { error: { type: 'string', example } } } });
const adminOf = (principal: Principal): User => (principal as { user: User }).user;

/** Admin fixtures of the Kubernetes module. */
@ApiTags('Admin: Kubernetes agents')
@AdminAuth()
@Paginates()
@Controller('api/v4')
export class KubernetesAdminController {
  constructor(
    private readonly agents: ClusterAgentsService,
    private readonly policies: PoliciesService,
    private readonly vulnerabilities: VulnerabilitiesService,
  ) {}

  @Post('projects/:id/cluster_agents')
  @HttpCode(201)
  @ApiOperation({
    operationId: 'adminCreateClusterAgent',
    summary: 'Register an agent',
    description: `Registers a GitLab agent in its configuration project. ${CONSUMERS}.`,
  })
  @ApiBody({ type: CreateClusterAgentBody })
  @ApiCreatedResponse({ type: ClusterAgentDto })
  @ApiBadRequestResponse({ description: 'invalid or taken name', ...message('400 Bad request - ["Name has already been taken"]') })
  @ApiNotFoundResponse({ description: 'unknown project', ...message('404 Project Not Found') })
  async createAgent(
    @Param('id') id: string,
    @Params() input: CreateClusterAgentBody,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ClusterAgentDto> {
    return this.agents.createAgent(await this.agents.findProject(id), input, adminOf(principal)) as Promise<ClusterAgentDto>;
  }

  @Post('projects/:id/cluster_agents/:agent_id/tokens')
  @HttpCode(201)
  @ApiOperation({
    operationId: 'adminCreateClusterAgentToken',
    summary: 'Create an agent token',
    description: `The clear token is returned once. ${CONSUMERS}.`,
  })
  @ApiBody({ type: CreateAgentTokenBody })
  @ApiCreatedResponse({ type: NewAgentTokenDto })
  @ApiBadRequestResponse({
    description: 'two active tokens already, or invalid fields',
    ...message('400 Bad request - An agent can have only two active tokens at a time'),
  })
  @ApiNotFoundResponse({ description: 'unknown project or agent', ...message('404 Not found') })
  async createToken(
    @Param('id') id: string,
    @Param('agent_id') agentId: string,
    @Params() input: CreateAgentTokenBody,
    @CurrentPrincipal() principal: Principal,
  ): Promise<NewAgentTokenDto> {
    return this.agents.createToken(await this.agents.findProject(id), agentId, input, adminOf(principal)) as Promise<NewAgentTokenDto>;
  }

  @Get('projects/:id/cluster_agents/:agent_id/tokens/:token_id')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'adminGetClusterAgentToken',
    summary: 'An active agent token',
    description: `Revoked tokens answer 404. ${CONSUMERS}.`,
  })
  @ApiOkResponse({ type: AgentTokenDto })
  @ApiNotFoundResponse({ description: 'unknown or revoked', ...message('404 Not found') })
  async getToken(@Param('id') id: string, @Param('agent_id') agentId: string, @Param('token_id') tokenId: string): Promise<AgentTokenDto> {
    return this.agents.getToken(await this.agents.findProject(id), agentId, tokenId) as Promise<AgentTokenDto>;
  }

  @Delete('projects/:id/cluster_agents/:agent_id/tokens/:token_id')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'adminRevokeClusterAgentToken',
    summary: 'Revoke an agent token',
    description: `Idempotent; the token stops working at once. ${CONSUMERS}.`,
  })
  @ApiNoContentResponse({ description: 'revoked' })
  @ApiNotFoundResponse({ description: 'unknown token', ...message('404 Not found') })
  async revokeToken(@Param('id') id: string, @Param('agent_id') agentId: string, @Param('token_id') tokenId: string): Promise<void> {
    await this.agents.revokeToken(await this.agents.findProject(id), agentId, tokenId);
  }

  @Put('projects/:id/security_orchestration_policy_configuration')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'adminPutProjectSecurityPolicies',
    summary: "Replace a project's scan execution policies",
    description: `Product-specific fixture. ${CONSUMERS}.`,
  })
  @ApiBody({ type: PolicyConfigurationBody })
  @ApiBadRequestResponse({ description: 'parameter validation', ...error('scan_execution_policy[0][rules][0][cadence] is missing') })
  @ApiOkResponse({ type: PolicyConfigurationDto })
  @ApiNotFoundResponse({ description: 'unknown project', ...message('404 Project Not Found') })
  async putProjectPolicies(@Param('id') id: string, @Params() input: PolicyConfigurationBody): Promise<PolicyConfigurationDto> {
    return this.policies.put({ project: await this.agents.findProject(id) }, input) as Promise<PolicyConfigurationDto>;
  }

  @Delete('projects/:id/security_orchestration_policy_configuration')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'adminDeleteProjectSecurityPolicies',
    summary: "Delete a project's scan execution policies",
    description: `Product-specific fixture. ${CONSUMERS}.`,
  })
  @ApiNoContentResponse({ description: 'deleted' })
  @ApiNotFoundResponse({ description: 'none stored', ...message('404 Not found') })
  async deleteProjectPolicies(@Param('id') id: string): Promise<void> {
    await this.policies.remove({ project: await this.agents.findProject(id) });
  }

  @Put('groups/:id/security_orchestration_policy_configuration')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'adminPutGroupSecurityPolicies',
    summary: "Replace a group's scan execution policies",
    description: `Product-specific fixture. ${CONSUMERS}.`,
  })
  @ApiBody({ type: PolicyConfigurationBody })
  @ApiBadRequestResponse({ description: 'parameter validation', ...error('scan_execution_policy[0][rules][0][cadence] is missing') })
  @ApiOkResponse({ type: PolicyConfigurationDto })
  @ApiNotFoundResponse({ description: 'unknown group', ...message('404 Group Not Found') })
  async putGroupPolicies(@Param('id') id: string, @Params() input: PolicyConfigurationBody): Promise<PolicyConfigurationDto> {
    return this.policies.put({ group: await this.agents.findGroup(id) }, input) as Promise<PolicyConfigurationDto>;
  }

  @Delete('groups/:id/security_orchestration_policy_configuration')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'adminDeleteGroupSecurityPolicies',
    summary: "Delete a group's scan execution policies",
    description: `Product-specific fixture. ${CONSUMERS}.`,
  })
  @ApiNoContentResponse({ description: 'deleted' })
  @ApiNotFoundResponse({ description: 'none stored', ...message('404 Not found') })
  async deleteGroupPolicies(@Param('id') id: string): Promise<void> {
    await this.policies.remove({ group: await this.agents.findGroup(id) });
  }

  @Get('projects/:id/vulnerabilities')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'adminListProjectVulnerabilities',
    summary: "A project's vulnerabilities",
    description: `Paginated, ordered by id. ${CONSUMERS}.`,
  })
  @ApiQuery({ type: PageParams })
  @ApiBadRequestResponse({ description: 'invalid page or per_page', ...error('page is invalid') })
  @ApiOkResponse({ type: [VulnerabilityDto] })
  @ApiNotFoundResponse({ description: 'unknown project', ...message('404 Project Not Found') })
  async listVulnerabilities(@Param('id') id: string, @Params() page: PageParams): Promise<Paginated<Record<string, unknown>>> {
    return this.vulnerabilities.list(await this.agents.findProject(id), pageRequest(page));
  }
}
