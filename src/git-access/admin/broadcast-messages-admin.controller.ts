import { Controller, Delete, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminAuth } from '../../auth/auth.decorators';
import { Params } from '../../common/params.decorator';
import { BroadcastMessageResponse, CreateBroadcastMessageBody } from '../dto/broadcast-messages.dto';
import { ADMIN_CONSUMERS, pathId } from './admin-lookups';
import { BroadcastMessagesService, BroadcastMessageView } from './broadcast-messages.service';

@ApiTags('Admin: broadcast messages')
@AdminAuth()
@Controller('api/v4/broadcast_messages')
export class BroadcastMessagesAdminController {
  constructor(private readonly broadcasts: BroadcastMessagesService) {}

  @Post()
  @ApiOperation({ operationId: 'adminCreateBroadcastMessage', summary: 'Create a broadcast message', description: `Active CLI banners are shown after git push. ${ADMIN_CONSUMERS}` })
  @ApiBody({ type: CreateBroadcastMessageBody })
  @ApiCreatedResponse({ type: BroadcastMessageResponse })
  @ApiBadRequestResponse({ description: 'message is missing, or an invalid value' })
  create(@Params() input: CreateBroadcastMessageBody): Promise<BroadcastMessageView> {
    return this.broadcasts.create({
      message: input.message,
      startsAt: input.starts_at ?? undefined,
      endsAt: input.ends_at ?? undefined,
      broadcastType: input.broadcast_type,
      targetPath: input.target_path || null,
      targetAccessLevels: input.target_access_levels,
      showInCli: input.show_in_cli,
      dismissable: input.dismissable,
    });
  }

  @Delete(':id')
  @ApiOperation({ operationId: 'adminDeleteBroadcastMessage', summary: 'Delete a broadcast message', description: `Answers 200 with the deleted entity, as GitLab does. ${ADMIN_CONSUMERS}` })
  @ApiOkResponse({ type: BroadcastMessageResponse })
  @ApiNotFoundResponse({ description: '404 Broadcast Message Not Found' })
  delete(@Param('id') id: string): Promise<BroadcastMessageView> {
    return this.broadcasts.delete(pathId(id, 'Broadcast Message'));
  }
}
