import { RawParams } from '../common/params.decorator';
import { isUnstorableString } from '../common/storable-text';

/** Text PostgreSQL cannot store (NUL, invalid UTF-8) can match nothing and must never reach a query. */
export const hasNul = isUnstorableString;

/**
 * The actor parameters with every unstorable text replaced by the empty string, which ActorService resolves to
 * nobody (a username or principal with NUL exists in no table).
 */
export function actorParams(params: RawParams): RawParams {
  const out: RawParams = { ...params };
  for (const name of ['username', 'krb5principal', 'identifier']) if (hasNul(out[name])) out[name] = '';
  return out;
}
