import { Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ShellAuth } from '../auth/auth.decorators';
import { ApiError } from '../common/api-error';
import { rawOf } from '../common/params';
import { Params, RawParams } from '../common/params.decorator';
import { assertStorableParams } from '../common/storable-text';
import { AccessCheckerService } from './access-checker.service';
import {
  AllowedRequest,
  AllowedResponse,
  AuditBadRequestBody,
  DeniedBody,
  MessageBody,
  PostReceiveResponse,
  PreReceiveResponse,
  StatusMessage,
} from './dto';
import { GitAuditEventRequest, PostReceiveRequest, PreReceiveRequest } from './dto/receive.dto';
import { MESSAGES } from './messages';
import { PostReceiveService } from './post-receive.service';
import { WorkhorseFallbackGuard } from './workhorse-fallback.guard';
import { readAllowedInput } from './dto/allowed-input';

type RequestWithId = { id?: unknown };

@ApiTags('GitLab Shell and Gitaly: git access')
@ShellAuth()
@Controller('api/v4/internal')
export class GitAccessController {
  constructor(
    private readonly checker: AccessCheckerService,
    private readonly postReceive: PostReceiveService,
  ) {}

  @Post('allowed')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'internalAllowed',
    summary: 'May this actor run this git command on this repository?',
    description:
      'The decision procedure (request checks, access checks, per-change ref rules). Denials answer ' +
      '`{"status":false,"message":…}` with 401 (not 403), 404, 422 or 503. Known consumers: gitlab-shell and gitlab-sshd ' +
      '(before every SSH git command), Gitaly (pre-receive hook, with the real ref updates).',
  })
  @ApiBody({ type: AllowedRequest })
  @ApiOkResponse({ type: AllowedResponse, description: 'Access granted; null top-level keys are omitted' })
  @ApiUnauthorizedResponse({ type: DeniedBody, description: 'Denied (or `{"message":"401 Unauthorized"}` for a bad JWT)' })
  @ApiNotFoundResponse({ type: StatusMessage, description: 'Project, namespace or repository not found' })
  @ApiUnprocessableEntityResponse({ type: StatusMessage, description: 'Auto-creation of the project failed' })
  @ApiBadRequestResponse({ type: MessageBody, description: 'Malformed gitaly_client_context_bin or gl_repository, or a parameter holding a NUL character or invalid UTF-8' })
  @ApiTooManyRequestsResponse({ type: MessageBody, description: 'Operation limit per minute exceeded' })
  @ApiServiceUnavailableResponse({ type: StatusMessage, description: 'Push checks exceeded their 50 s budget' })
  async allowed(@Params() params: RawParams, @Req() req: RequestWithId): Promise<Record<string, unknown>> {
    assertStorableParams(params);
    return (await this.checker.check(readAllowedInput(params), { requestId: req.id })).body;
  }

  @Post('pre_receive')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'internalPreReceive',
    summary: 'Count a push in flight',
    description: 'Increments the reference counter of the repository (TTL 600 s). Known consumers: Gitaly (pre-receive hook).',
  })
  @ApiBody({ type: PreReceiveRequest })
  @ApiOkResponse({ type: PreReceiveResponse })
  @ApiBadRequestResponse({ type: MessageBody, description: 'A parameter holds a NUL character or invalid UTF-8' })
  async preReceive(@Params() input: PreReceiveRequest): Promise<PreReceiveResponse> {
    return this.postReceive.preReceive(input);
  }

  @Post('post_receive')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'internalPostReceive',
    summary: 'Messages after a push; records push events in the background',
    description:
      'Decrements the reference counter, sets the default branch of an empty project, enqueues the post-receive job ' +
      'and answers the messages shown to the pusher. Known consumers: Gitaly (post-receive hook).',
  })
  @ApiBody({ type: PostReceiveRequest })
  @ApiOkResponse({ type: PostReceiveResponse })
  @ApiBadRequestResponse({ type: MessageBody, description: 'Malformed gl_repository or gitaly_client_context_bin' })
  async postReceiveHook(@Params() input: PostReceiveRequest): Promise<PostReceiveResponse> {
    return this.postReceive.postReceive(input);
  }
}

@ApiTags('GitLab Shell and Gitaly: git access')
@UseGuards(WorkhorseFallbackGuard)
@Controller('api/v4/internal')
export class GitAuditController {
  constructor(private readonly checker: AccessCheckerService) {}

  @Post('shellhorse/git_audit_event')
  @ShellAuth()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'internalGitAuditEvent',
    summary: 'Audit event after a git command',
    description:
      'Runs the access decision again and answers that no audit event is needed (the product streams no audit ' +
      'events). Without the shell JWT header: 403 (GitLab falls back to Workhorse authentication). Known consumers: ' +
      'gitlab-shell (only after `/allowed` answered `need_audit: true`).',
  })
  @ApiBody({ type: GitAuditEventRequest })
  @ApiOkResponse({ type: StatusMessage, description: '`{"status":false,"message":"No git audit event needed"}`' })
  @ApiBadRequestResponse({ type: AuditBadRequestBody, description: 'Missing required fields, `{"status":false,"message":"No valid action specified"}`, or a 400 of `/allowed`' })
  @ApiUnauthorizedResponse({ type: DeniedBody, description: 'Denied as by `/allowed`, or a bad JWT' })
  @ApiUnprocessableEntityResponse({ type: StatusMessage })
  @ApiTooManyRequestsResponse({ type: MessageBody })
  @ApiForbiddenResponse({ type: MessageBody, description: 'No shell JWT header' })
  @ApiNotFoundResponse({ type: StatusMessage })
  async gitAuditEvent(@Params() input: GitAuditEventRequest, @Req() req: RequestWithId): Promise<StatusMessage> {
    if (input.action !== 'git-upload-pack' && input.action !== 'git-receive-pack') {
      throw new ApiError(400, { status: false, message: MESSAGES.noValidAction });
    }
    await this.checker.check(readAllowedInput(rawOf(input)), { audit: true, requestId: req.id });
    return { status: false, message: MESSAGES.noAuditEventNeeded };
  }
}

