import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { scimBodyText } from '../http/body';
import { BODY_NOT_OBJECT, scimError } from './scim-exceptions';
import { ownValue } from '../common/params.decorator';

type ScimRequest = IncomingMessage & { body?: unknown };

const JSON_MEDIA_TYPES = ['application/json', 'application/scim+json'];

/** The JSON object of a POST/PATCH body, or the SCIM syntax errors (E9, E10). */
export function scimJsonBody(req: ScimRequest): Record<string, unknown> {
  // read after the guard by the application's body reader, up to the SCIM limit of 1 MiB
  const raw = scimBodyText(req);
  if (raw?.tooLarge) throw scimError(413, 'Request body is too large');
  const contentType = req.headers['content-type'];
  const mediaType = (Array.isArray(contentType) ? contentType[0] : (contentType ?? '')).split(';')[0].trim().toLowerCase();
  // no body at all (the body reader keeps every body sent under /api/scim), another media type, or an empty one
  if (!raw || !JSON_MEDIA_TYPES.includes(mediaType) || raw.text === undefined || raw.text.trim() === '')
    throw scimError(400, BODY_NOT_OBJECT, 'invalidSyntax');
  let value: unknown;
  try {
    value = JSON.parse(raw.text);
  } catch {
    throw scimError(400, BODY_NOT_OBJECT, 'invalidSyntax');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw scimError(400, BODY_NOT_OBJECT, 'invalidSyntax');
  // own properties only: `__proto__`, `constructor` and `prototype` keys are dropped at every level
  return ownValue(value) as Record<string, unknown>;
}

/** `@ScimJsonBody()`: the request body as a JSON object, checked after the guard has run. */
export const ScimJsonBody = createParamDecorator((_data: unknown, ctx: ExecutionContext) =>
  scimJsonBody(ctx.switchToHttp().getRequest<ScimRequest>()),
);
