import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ShellAuth } from '../auth/auth.decorators';
import { Params } from '../common/params.decorator';
import { LfsAuthenticateRequest, LfsAuthenticateResponse, LfsBadRequestBody, LfsObjectQuery, NotFoundBody } from './dto/lfs.dto';
import { LfsService } from './lfs.service';

@ApiTags('GitLab Shell and Gitaly: LFS')
@ShellAuth()
@Controller('api/v4/internal')
export class LfsController {
  constructor(private readonly lfs: LfsService) {}

  @Post('lfs_authenticate')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'internalLfsAuthenticate',
    summary: 'An LFS token for HTTP access',
    description:
      'Issues a 2-hour LFS token to a user or deploy key for an LFS-enabled project; no access check happens here ' +
      '(the LFS endpoints authorize when the token is used). Known consumers: gitlab-shell (`git-lfs-authenticate`).',
  })
  @ApiBody({ type: LfsAuthenticateRequest })
  @ApiOkResponse({ type: LfsAuthenticateResponse })
  @ApiNotFoundResponse({ type: NotFoundBody, description: '`404 Not Found` (project) or `404 Not found` (actor)' })
  @ApiBadRequestResponse({ type: NotFoundBody, description: 'Malformed gl_repository' })
  authenticate(@Params() input: LfsAuthenticateRequest): Promise<LfsAuthenticateResponse> {
    return this.lfs.authenticate(input);
  }

  @Get('lfs')
  @ApiOperation({
    operationId: 'internalLfsObject',
    summary: 'Fetch an LFS object (not stored: always 404)',
    description: 'The product stores no LFS objects, so this fails cleanly and Gitaly keeps the pointer file. Known consumers: Gitaly (`gitaly-lfs-smudge`).',
  })
  @ApiQuery({ type: LfsObjectQuery })
  @ApiBadRequestResponse({ type: LfsBadRequestBody, description: 'Missing parameters, or a malformed gl_repository' })
  @ApiNotFoundResponse({ type: NotFoundBody })
  @ApiOkResponse({ description: 'never answered', schema: { type: 'string', format: 'binary' } })
  object(@Params() query: LfsObjectQuery): Promise<never> {
    return this.lfs.object(query);
  }
}
