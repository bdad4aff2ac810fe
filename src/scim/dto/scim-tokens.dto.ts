import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { Integer, Optional } from '../../common/params';
import { SCIM_DEFAULT_ACCESS_LEVELS } from '../entities/scim-group-setting.entity';

/** `POST /groups/:id/scim/token`, read once the group is known to be a top-level group. */
export class ScimTokenRequestDto {
  @Optional(Integer(), {
    api: { enum: [...SCIM_DEFAULT_ACCESS_LEVELS], description: 'Access level of members SCIM adds to the group (default 10)' },
  })
  @IsIn(SCIM_DEFAULT_ACCESS_LEVELS)
  default_access_level?: number;
}

export class ScimTokenDto {
  @ApiProperty({ example: 'glsoat-AbCdEfGhIjKlMnOpQrSt', description: 'The clear token, shown only in this answer' }) token: string;
}
