import { Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { messageSchema } from '../common/api-error';
import { AdminAuth } from '../auth/auth.decorators';
import { Params } from '../common/params.decorator';
import { CreateSshCertificateRequest, SshCertificateResponse } from './dto/keys.dto';
import { SshCertificatesService } from './ssh-certificates.service';

/** Admin fixtures: CA keys trusted by top-level groups. */
@ApiTags('Admin: groups')
@AdminAuth()
@Controller('api/v4/groups')
export class SshCertificatesAdminController {
  constructor(private readonly certificates: SshCertificatesService) {}

  @Post(':id/ssh_certificates')
  @ApiOperation({
    operationId: 'adminCreateGroupSshCertificate',
    summary: 'Trust an SSH certificate authority',
    description: 'Registers a CA public key on a top-level group (GitLab EE route). Known consumers: operators, test fixtures.',
  })
  @ApiBody({ type: CreateSshCertificateRequest })
  @ApiCreatedResponse({ type: SshCertificateResponse })
  @ApiBadRequestResponse({
    description:
      'Missing parameter (`{"error":…}`), subgroup (`{"message":"400 Bad request - Group must be a top-level group"}`), invalid key or fingerprint taken (`{"message":{"<attribute>":["<error>"]}}`)',
    schema: {
      type: 'object',
      properties: {
        error: { type: 'string', example: 'title is missing, key is missing' },
        message: {
          oneOf: [
            { type: 'string', example: '400 Bad request - Group must be a top-level group' },
            {
              type: 'object',
              additionalProperties: { type: 'array', items: { type: 'string' } },
              example: { fingerprint: ['has already been taken'] },
            },
          ],
        },
      },
    },
  })
  @ApiNotFoundResponse({ description: 'Unknown group', ...messageSchema('404 Group Not Found') })
  create(@Param('id') id: string, @Params() input: CreateSshCertificateRequest): Promise<SshCertificateResponse> {
    return this.certificates.create(id, input);
  }

  @Delete(':id/ssh_certificates/:ssh_certificates_id')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'adminDeleteGroupSshCertificate',
    summary: 'Stop trusting an SSH certificate authority',
    description: 'Known consumers: operators, test fixtures.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({
    description: 'Unknown group (`404 Group Not Found`) or certificate',
    ...messageSchema('SSH Certificate not found'),
  })
  async remove(@Param('id') id: string, @Param('ssh_certificates_id') certId: string): Promise<void> {
    await this.certificates.remove(id, certId);
  }
}
