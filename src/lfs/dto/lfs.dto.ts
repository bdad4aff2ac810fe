import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LooseText, Optional, Requires } from '../../common/params';
import { ActorParamsDto } from '../../identity/dto/actor-params.dto';

/** `POST /lfs_authenticate`: the repository (as `/allowed` designates it) and the actor; never a parameter error. */
export class LfsAuthenticateRequest extends ActorParamsDto {
  @Optional(LooseText, { api: { example: 'grp/priv.git' } }) project?: string;
  @Optional(LooseText, { api: { example: 'project-3' } }) gl_repository?: string;
  @Optional(LooseText, { api: { description: 'hashed disk path of the repository (Gitaly)' } }) relative_path?: string;
  @ApiPropertyOptional({ enum: ['download', 'upload'], description: 'ignored' }) operation?: string;
}

/** `GET /lfs`: both parameters are required; only the form of `gl_repository` is checked. */
export class LfsObjectQuery {
  @Requires(LooseText, { api: { description: 'SHA-256 of the object' } }) oid: string;
  @Requires(LooseText, { api: { example: 'project-3' } }) gl_repository: string | undefined;
}

export class LfsAuthenticateResponse {
  @ApiProperty({ example: 'alice', description: 'the user, or `lfs+deploy-key-<id>`' }) username: string;
  @ApiProperty({ description: 'HS256 JWT valid for 2 hours' }) lfs_token: string;
  @ApiProperty({ example: 'http://gitlab.test/grp/priv.git' }) repository_http_path: string;
  @ApiProperty({ example: 7200 }) expires_in: number;
}

export class NotFoundBody {
  @ApiProperty({ example: '404 Not Found' }) message: string;
}

export class LfsBadRequestBody {
  @ApiPropertyOptional({ example: 'oid is missing, gl_repository is missing' }) error?: string;
  @ApiPropertyOptional({ example: '400 Bad request - Invalid GL Repository "project-foo"' }) message?: string;
}
