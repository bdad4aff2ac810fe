import { All, Controller, UseGuards } from '@nestjs/common';
import { ReadBodyGuard } from '../http/body';
import { ApiExcludeController } from '@nestjs/swagger';
import { methodNotAllowed, scimNotFound } from './scim-exceptions';

const BASES = ['api/scim/v2/groups/:group_path', 'api/scim/v2/application'];
const at = (paths: string[]) => BASES.flatMap((base) => paths.map((p) => `${base}/${p}`));

/**
 * Registered after the SCIM controllers: what they do not answer is a 405 on a known path (with `Allow`) or a
 * 404 anywhere else under /api/scim, before any authentication.
 */
@ApiExcludeController()
@UseGuards(ReadBodyGuard)
@Controller()
export class ScimRoutingController {
  @All(at(['Users']))
  usersCollection(): never {
    throw methodNotAllowed('GET, POST');
  }

  @All(at(['Users/:id']))
  usersMember(): never {
    throw methodNotAllowed('GET, PATCH, DELETE');
  }

  @All(at(['ServiceProviderConfig', 'Schemas', 'Schemas/:schemaId', 'ResourceTypes', 'ResourceTypes/:name']))
  discovery(): never {
    throw methodNotAllowed('GET');
  }

  @All(['api/scim', 'api/scim/*path'])
  unknown(): never {
    throw scimNotFound('404 Not Found');
  }
}
