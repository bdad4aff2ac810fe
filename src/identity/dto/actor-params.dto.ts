import { idParam, stringParam } from '../../common/coerce';
import { Optional, ParamType } from '../../common/params';
import { isStorableText } from '../../common/storable-text';

/**
 * The parameters naming the actor of a gitlab-shell, Gitaly or Workhorse request, read as `ActorService.resolve`
 * reads them: never a parameter error, and a value that names nobody stays present (so it still wins over the
 * parameters after it, and resolves to nobody).
 */

/** An id (a number or a string of digits); a present value that can match nothing reads as 0. */
export const ActorId: ParamType<number> = {
  name: 'Integer',
  schema: { oneOf: [{ type: 'integer' }, { type: 'string' }] },
  coerce: (raw) => idParam(raw) ?? 0,
};

/** A name as sent (numbers and booleans as their text); a hash or an array reads as `''`, which names nobody. */
export const ActorName: ParamType<string> = {
  name: 'String',
  schema: { type: 'string' },
  coerce: (raw) => stringParam(raw) ?? '',
};

/** As `ActorName`, and text PostgreSQL cannot store (NUL, invalid UTF-8) also reads as `''`: it never reaches a query. */
export const StorableActorName: ParamType<string> = {
  name: 'String',
  schema: { type: 'string' },
  coerce: (raw) => {
    const text = stringParam(raw);
    return text === undefined || !isStorableText(text) ? '' : text;
  },
};

/** The five actor parameters, in GitLab's order of precedence (the first one present names the actor). */
export class ActorParamsDto {
  @Optional(ActorId, { api: { description: 'SSH key id', example: '12' } }) key_id?: number;
  @Optional(ActorId, { api: { description: 'User id', example: 5 } }) user_id?: number;
  @Optional(ActorName) username?: string;
  @Optional(ActorName, { api: { description: 'Kerberos principal' } }) krb5principal?: string;
  @Optional(ActorName, { api: { description: '`user-<id>`, `key-<id>` or `username-<name>`', example: 'key-12' } }) identifier?: string;
}

/** The actor parameters with every unstorable name reading as `''` (the routes that must keep it from a query). */
export class StorableActorParamsDto extends ActorParamsDto {
  @Optional(StorableActorName) declare username?: string;
  @Optional(StorableActorName, { api: { description: 'Kerberos principal' } }) declare krb5principal?: string;
  @Optional(StorableActorName, { api: { description: '`user-<id>`, `key-<id>` or `username-<name>`', example: 'key-12' } })
  declare identifier?: string;
}
