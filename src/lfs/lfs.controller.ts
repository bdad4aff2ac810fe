import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ShellAuth } from '../auth/auth.decorators';
import { Params, RawParams } from '../common/params.decorator';
import { LfsService } from './lfs.service';

export class LfsAuthenticateRequest {
  @ApiPropertyOptional({ example: 'grp/priv.git' }) project?: string;
  @ApiPropertyOptional({ example: 'project-3' }) gl_repository?: string;
  @ApiPropertyOptional({ example: '12' }) key_id?: string;
  @ApiPropertyOptional({ example: '5' }) user_id?: string;
  @ApiPropertyOptional() username?: string;
  @ApiPropertyOptional({ enum: ['download', 'upload'], description: 'ignored' }) operation?: string;
}

export class LfsAuthenticateResponse {
  @ApiProperty({ example: 'alice', description: 'the user, or `lfs+deploy-key-<id>`' }) username: string;
  @ApiProperty({ description: 'HS256 JWT valid for 2 hours' }) lfs_token: string;
  @ApiProperty({ example: 'http://gitlab.test/grp/priv.git' }) repository_http_path: string;
  @ApiProperty({ example: 7200 }) expires_in: number;
}

class NotFoundBody {
  @ApiProperty({ example: '404 Not Found' }) message: string;
}

class LfsBadRequestBody {
  @ApiPropertyOptional({ example: 'oid is missing, gl_repository is missing' }) error?: string;
  @ApiPropertyOptional({ example: '400 Bad request - Invalid GL Repository "project-foo"' }) message?: string;
}

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
  authenticate(@Params() params: RawParams): Promise<LfsAuthenticateResponse> {
    return this.lfs.authenticate(params);
  }

  @Get('lfs')
  @ApiOperation({
    operationId: 'internalLfsObject',
    summary: 'Fetch an LFS object (not stored: always 404)',
    description: 'The product stores no LFS objects, so this fails cleanly and Gitaly keeps the pointer file. Known consumers: Gitaly (`gitaly-lfs-smudge`).',
  })
  @ApiQuery({ name: 'oid', required: true })
  @ApiQuery({ name: 'gl_repository', required: true })
  @ApiBadRequestResponse({ type: LfsBadRequestBody, description: 'Missing parameters, or a malformed gl_repository' })
  @ApiNotFoundResponse({ type: NotFoundBody })
  @ApiOkResponse({ description: 'never answered', schema: { type: 'string', format: 'binary' } })
  object(@Params() params: RawParams): Promise<never> {
    return this.lfs.object(params);
  }
}
