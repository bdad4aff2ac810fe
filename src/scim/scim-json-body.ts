import { createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import { isScimPath } from '../common/scim-error-body';
import { SCIM_BODY_LIMIT } from './scim.constants';
import { BODY_NOT_OBJECT, scimError } from './scim-exceptions';
import { ownValue } from '../common/params.decorator';

/** What the raw-body reader saw: the text of the body, or that it exceeded the limit. */
interface RawScimBody {
  text?: string;
  tooLarge?: boolean;
}

type ScimRequest = IncomingMessage & { scimRawBody?: RawScimBody; body?: unknown };

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Reads the body of every request under /api/scim itself, before the application's body parsers, so that a
 * syntax error (400) or an oversized body (413) is answered only after authentication. The parsers then find the stream consumed and skip it.
 */
export function readScimBody(req: ScimRequest, _res: unknown, next: (err?: unknown) => void): void {
  const path = (req.url ?? '').split('?')[0];
  if (!isScimPath(path) || !hasBody(req)) return next();
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    req.scimRawBody = tooLarge ? { tooLarge: true } : { text: Buffer.concat(chunks).toString('utf8') };
    req.body = undefined;
    next();
  };
  req.on('data', (chunk: Buffer) => {
    if (tooLarge) return;
    size += chunk.length;
    if (size > SCIM_BODY_LIMIT) {
      tooLarge = true;
      chunks.length = 0;
    } else chunks.push(chunk);
  });
  req.on('end', finish);
  req.on('error', finish);
}

/** Installs `readScimBody` in front of the application's own middleware (it is constructed before they are added). */
@Injectable()
export class ScimBodyReader {
  constructor(adapterHost: HttpAdapterHost) {
    adapterHost.httpAdapter?.use(readScimBody);
  }
}

const JSON_MEDIA_TYPES = ['application/json', 'application/scim+json'];

/** The JSON object of a POST/PATCH body, or the SCIM syntax errors (E9, E10). */
export function scimJsonBody(req: ScimRequest): Record<string, unknown> {
  const raw = req.scimRawBody;
  if (raw?.tooLarge) throw scimError(413, 'Request body is too large');
  const contentType = req.headers['content-type'];
  const mediaType = (Array.isArray(contentType) ? contentType[0] : (contentType ?? '')).split(';')[0].trim().toLowerCase();
  // no body at all (readScimBody sees every body sent under /api/scim), another media type, or an empty one
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
