import { Controller, Get, Header, HttpCode, Post, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPaymentRequiredResponse,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CurrentPrincipal, KasAgentAuth, KasAuth } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { Params } from '../common/params.decorator';
import { KasAgent } from './agent-token.resolver';
import {
  AgentConfigurationBody,
  AgentEventsBody,
  AuthorizeProxyUserBody,
  CiliumAlertBody,
  ScanResultBody,
  UsageMetricsBody,
} from './dto/kas.dto';
import {
  AgentInfoDto,
  AuthorizeProxyUserResponse,
  PoliciesConfigurationDto,
  ProjectInfoDto,
  ScanExecutionPoliciesDto,
  UuidDto,
} from './dto/responses.dto';
import { StarboardVulnerabilityBody } from './dto/starboard.dto';
import { KasService } from './kas.service';
import { PoliciesService } from './policies.service';
import { UsageService } from './usage.service';
import { VulnerabilitiesService } from './vulnerabilities.service';

const TAG = 'kas: agents';
const CONSUMERS = 'Known consumers: kas (GitLab agent server)';
const AGENTK = 'Known consumers: agentk via kas (GitLab agent for Kubernetes)';
const JSON_TYPE = 'application/json; charset=utf-8';
const message = (example: string) => ({ schema: { type: 'object', properties: { message: { type: 'string', example } } } });
const error = (example: string) => ({ schema: { type: 'object', properties: { error: { type: 'string', example } } } });
const agentOf = (principal: Principal): KasAgent => (principal as { agent: KasAgent }).agent;

/** Routes kas calls with its JWT alone. */
@ApiTags(TAG)
@KasAuth()
@Controller('api/v4/internal/kubernetes')
export class KasController {
  constructor(
    private readonly kas: KasService,
    private readonly usage: UsageService,
  ) {}

  @Post('agent_configuration')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'kasAgentConfiguration',
    summary: 'Store an agent configuration',
    description: `Stores the agent's configuration file and replaces its ci_access / user_access authorizations. ${CONSUMERS}.`,
  })
  @ApiBody({ type: AgentConfigurationBody })
  @ApiNoContentResponse({ description: 'stored' })
  @ApiBadRequestResponse({ description: 'parameter validation', ...error('agent_config is missing') })
  @ApiNotFoundResponse({ description: 'unknown agent', ...message('404 Not found') })
  async agentConfiguration(@Params() input: AgentConfigurationBody): Promise<void> {
    await this.kas.agentConfiguration(input);
  }

  @Post('authorize_proxy_user')
  @HttpCode(201)
  @ApiOperation({
    operationId: 'kasAuthorizeProxyUser',
    summary: 'Authorize a user for the Kubernetes API proxy',
    description: `Resolves a personal access token (or session cookie) and tells kas what the user may reach through the agent. ${CONSUMERS}.`,
  })
  @ApiBody({ type: AuthorizeProxyUserBody })
  @ApiCreatedResponse({ type: AuthorizeProxyUserResponse })
  @ApiUnauthorizedResponse({
    description: 'invalid kas JWT (`message`), or a revoked / expired personal access token (`error`, `error_description`)',
    schema: {
      oneOf: [
        { type: 'object', properties: { message: { type: 'string', example: 'KAS JWT authentication invalid' } }, required: ['message'] },
        {
          type: 'object',
          properties: { error: { type: 'string', example: 'invalid_token' }, error_description: { type: 'string' } },
          required: ['error', 'error_description'],
        },
      ],
    },
  })
  @ApiBadRequestResponse({
    description: 'validation, unknown token or session cookie',
    ...message('400 Bad request - Unable to get user from request data'),
  })
  @ApiForbiddenResponse({ description: 'no access, or a token without k8s_proxy scope', ...message('403 Forbidden') })
  @ApiNotFoundResponse({ description: 'unknown agent', ...message('404 Not found') })
  authorizeProxyUser(@Params() input: AuthorizeProxyUserBody): Promise<AuthorizeProxyUserResponse> {
    return this.kas.authorizeProxyUser(input) as Promise<AuthorizeProxyUserResponse>;
  }

  @Post('usage_metrics')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'kasUsageMetrics',
    summary: 'Add usage counters',
    description: `Adds kas usage counters and weekly unique events; a non-2xx answer changes nothing. ${CONSUMERS}.`,
  })
  @ApiBody({ type: UsageMetricsBody })
  @ApiNoContentResponse({ description: 'counted' })
  @ApiBadRequestResponse({ description: 'invalid or negative count', ...error('counters[gitops_sync] is invalid') })
  async usageMetrics(@Params() input: UsageMetricsBody): Promise<void> {
    await this.usage.usageMetrics(input);
  }

  @Post('agent_events')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'kasAgentEvents',
    summary: 'Record agent events',
    description: `Records user/project events of the Kubernetes API proxy. ${CONSUMERS}.`,
  })
  @ApiBody({ type: AgentEventsBody })
  @ApiNoContentResponse({ description: 'recorded' })
  @ApiBadRequestResponse({ description: 'parameter validation', ...error('events is invalid') })
  async agentEvents(@Params() input: AgentEventsBody): Promise<void> {
    await this.usage.agentEvents(input);
  }
}

/** Routes kas calls on behalf of an agent: the kas JWT plus the agent token. */
@ApiTags(TAG)
@KasAgentAuth()
@Controller('api/v4/internal/kubernetes')
export class KasAgentController {
  constructor(
    private readonly kas: KasService,
    private readonly vulnerabilities: VulnerabilitiesService,
    private readonly policies: PoliciesService,
  ) {}

  @Get('agent_info')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'kasAgentInfo',
    summary: 'The agent behind a token',
    description: `The agent, its configuration project and Gitaly coordinates. ${CONSUMERS}.`,
  })
  @ApiOkResponse({ type: AgentInfoDto })
  agentInfo(@CurrentPrincipal() principal: Principal): AgentInfoDto {
    return this.kas.agentInfo(agentOf(principal));
  }

  @Get('project_info')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'kasProjectInfo',
    summary: 'Gitaly coordinates of a project the agent may read',
    description: `A public project with an enabled repository, or the agent's own project. ${CONSUMERS}.`,
  })
  @ApiQuery({ name: 'id', required: true, description: 'numeric id or full path' })
  @ApiOkResponse({ type: ProjectInfoDto })
  @ApiNotFoundResponse({ description: 'unknown or not readable', ...message('404 Not Found') })
  projectInfo(@CurrentPrincipal() principal: Principal, @Query('id') id: unknown): Promise<ProjectInfoDto> {
    return this.kas.projectInfo(agentOf(principal), id);
  }

  @Get('verify_project_access')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'kasVerifyProjectAccess',
    summary: 'Whether the agent may read a project',
    description: `As project_info, without a body. ${CONSUMERS}.`,
  })
  @ApiQuery({ name: 'id', required: true, description: 'numeric id or full path' })
  @ApiNoContentResponse({ description: 'allowed' })
  @ApiNotFoundResponse({ description: 'unknown or not readable', ...message('404 Not Found') })
  async verifyProjectAccess(@CurrentPrincipal() principal: Principal, @Query('id') id: unknown): Promise<void> {
    await this.kas.accessibleProject(agentOf(principal), id);
  }

  @Put('modules/starboard_vulnerability')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'kasCreateStarboardVulnerability',
    summary: 'Create a cluster image scanning vulnerability',
    description: `Idempotent: the uuid is derived from the finding; a repeated report changes nothing. Also served with a trailing slash. ${AGENTK}.`,
  })
  @ApiBody({ type: StarboardVulnerabilityBody })
  @ApiOkResponse({ type: UuidDto })
  @ApiBadRequestResponse({ description: 'parameter validation', ...error('vulnerability is missing') })
  @ApiForbiddenResponse({ description: 'not licensed, or the agent creator may not write findings', ...message('403 Forbidden') })
  createStarboardVulnerability(@CurrentPrincipal() principal: Principal, @Params() input: StarboardVulnerabilityBody): Promise<UuidDto> {
    return this.vulnerabilities.createFromStarboard(agentOf(principal), input);
  }

  @Post('modules/starboard_vulnerability/scan_result')
  @HttpCode(200)
  @Header('Content-Type', JSON_TYPE)
  @ApiOperation({
    operationId: 'kasStarboardScanResult',
    summary: 'Resolve the findings a scan no longer reports',
    description: `Every detected or confirmed finding of the agent not listed in uuids becomes resolved. ${AGENTK}.`,
  })
  @ApiBody({ type: ScanResultBody })
  @ApiOkResponse({ schema: { type: 'integer', example: 200 } })
  @ApiBadRequestResponse({ description: 'parameter validation', ...error('uuids is invalid') })
  @ApiForbiddenResponse({ description: 'not licensed, or the agent creator may not write findings', ...message('403 Forbidden') })
  async scanResult(@CurrentPrincipal() principal: Principal, @Params() input: ScanResultBody): Promise<string> {
    await this.vulnerabilities.scanResult(agentOf(principal), input);
    return '200';
  }

  @Get('modules/starboard_vulnerability/policies_configuration')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'kasStarboardPoliciesConfiguration',
    summary: 'Scan schedules for the agent',
    description: `Schedules of enabled container-scanning policies naming the agent, from the project up to the root group. ${AGENTK}.`,
  })
  @ApiOkResponse({ type: PoliciesConfigurationDto })
  @ApiPaymentRequiredResponse({ description: 'not licensed', ...message('Payment Required') })
  policiesConfiguration(@CurrentPrincipal() principal: Principal): Promise<PoliciesConfigurationDto> {
    return this.policies.policiesConfiguration(agentOf(principal));
  }

  @Get('modules/starboard_vulnerability/scan_execution_policies')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'kasStarboardScanExecutionPolicies',
    summary: 'Scan execution policies as YAML',
    description: `Every scan execution policy of the project and its groups (documented by GitLab; kept for compatibility). ${AGENTK}.`,
  })
  @ApiOkResponse({ type: ScanExecutionPoliciesDto })
  @ApiPaymentRequiredResponse({ description: 'not licensed', ...message('Payment Required') })
  scanExecutionPolicies(@CurrentPrincipal() principal: Principal): Promise<ScanExecutionPoliciesDto> {
    return this.policies.scanExecutionPolicies(agentOf(principal));
  }

  @Post('modules/cilium_alert')
  @HttpCode(200)
  @Header('Content-Type', JSON_TYPE)
  @ApiOperation({
    operationId: 'kasCiliumAlert',
    summary: 'Store a Cilium network alert (legacy)',
    description: `Removed from GitLab around 15.0; still accepted. The body may also be a JSON string holding the object. ${AGENTK}.`,
  })
  @ApiBody({ type: CiliumAlertBody })
  @ApiOkResponse({ schema: { type: 'integer', example: 200 } })
  @ApiBadRequestResponse({ description: 'parameter validation', ...error('alert is missing') })
  @ApiForbiddenResponse({ description: 'not licensed', ...message('403 Forbidden') })
  async ciliumAlert(@CurrentPrincipal() principal: Principal, @Params({ jsonTextBody: true }) input: CiliumAlertBody): Promise<string> {
    await this.vulnerabilities.ciliumAlert(agentOf(principal), input);
    return '200';
  }
}
