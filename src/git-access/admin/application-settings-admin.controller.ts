import { Controller, Get, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminAuth } from '../../auth/auth.decorators';
import { Params } from '../../common/params.decorator';
import { ApplicationSettingsService } from '../../settings/application-settings.service';
import { ApplicationSetting } from '../../settings/entities/application-setting.entity';
import { ApplicationSettingsResponse, UpdateApplicationSettingsBody } from '../dto/application-settings.dto';
import { ADMIN_CONSUMERS } from './admin-lookups';

type SettingsView = Pick<
  ApplicationSetting,
  'enabled_git_access_protocol' | 'receive_max_input_size' | 'gitlab_shell_operation_limit' | 'error_tracking_enabled' | 'require_personal_access_token_expiry'
>;

function settingsView(s: ApplicationSetting): SettingsView {
  return {
    enabled_git_access_protocol: s.enabled_git_access_protocol,
    receive_max_input_size: s.receive_max_input_size,
    gitlab_shell_operation_limit: s.gitlab_shell_operation_limit,
    error_tracking_enabled: s.error_tracking_enabled,
    require_personal_access_token_expiry: s.require_personal_access_token_expiry,
  };
}

@ApiTags('Admin: application settings')
@AdminAuth()
@Controller('api/v4/application/settings')
export class ApplicationSettingsAdminController {
  constructor(private readonly settings: ApplicationSettingsService) {}

  @Get()
  @ApiOperation({ operationId: 'adminGetApplicationSettings', summary: 'The instance settings the internal API reads', description: ADMIN_CONSUMERS })
  @ApiOkResponse({ type: ApplicationSettingsResponse })
  async get(): Promise<SettingsView> {
    return settingsView(await this.settings.current());
  }

  @Put()
  @ApiOperation({ operationId: 'adminUpdateApplicationSettings', summary: 'Change instance settings (applied from the next request)', description: ADMIN_CONSUMERS })
  @ApiBody({ type: UpdateApplicationSettingsBody })
  @ApiOkResponse({ type: ApplicationSettingsResponse })
  @ApiBadRequestResponse({ description: '<setting> does not have a valid value / is invalid' })
  async update(@Params() input: UpdateApplicationSettingsBody): Promise<SettingsView> {
    const changes: Partial<SettingsView> = { ...input };
    return settingsView(await this.settings.update(changes));
  }
}
