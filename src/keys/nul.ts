import { RawParams } from '../common/params.decorator';

/** PostgreSQL text cannot hold NUL: a value containing one can match nothing and must never reach a query. */
export const hasNul = (value: unknown): boolean => typeof value === 'string' && value.includes('\u0000');

/**
 * The actor parameters with every NUL-carrying text replaced by the empty string, which ActorService resolves to
 * nobody (a username or principal with NUL exists in no table).
 */
export function actorParams(params: RawParams): RawParams {
  const out: RawParams = { ...params };
  for (const name of ['username', 'krb5principal', 'identifier']) if (hasNul(out[name])) out[name] = '';
  return out;
}
