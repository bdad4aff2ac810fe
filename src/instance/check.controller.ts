import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ShellAuth } from '../auth/auth.decorators';
import { APP_CONFIG, AppConfig } from '../config/config';
import { SharedState } from '../shared-state/shared-state.service';

export class CheckResponse {
  @ApiProperty({ example: 'v4' }) api_version: string;
  @ApiProperty({ example: '17.11.0' }) gitlab_version: string;
  @ApiProperty({ example: 'abc1234' }) gitlab_rev: string;
  @ApiProperty({ description: 'Redis configured and answering PING within 1 s' }) redis: boolean;
  @ApiProperty({ example: 'abc1234', description: 'Same as gitlab_rev (the name Gitaly reads)' }) gitlab_revision: string;
}

@ApiTags('Instance: health')
@ShellAuth()
@Controller('api/v4/internal')
export class CheckController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly state: SharedState,
  ) {}

  /** Health probe of gitlab-shell-check and `gitaly check`. Known consumers: gitlab-shell, Gitaly. */
  @Get('check')
  @ApiOperation({ operationId: 'internalCheck', summary: 'Version and Redis status', description: 'Known consumers: gitlab-shell (`gitlab-shell-check`), Gitaly (`gitaly check`).' })
  @ApiOkResponse({ type: CheckResponse })
  async check(): Promise<CheckResponse> {
    return {
      api_version: 'v4',
      gitlab_version: this.config.gitlabVersion,
      gitlab_rev: this.config.gitlabRevision,
      redis: await this.state.redisAvailable(1000),
      gitlab_revision: this.config.gitlabRevision,
    };
  }
}
