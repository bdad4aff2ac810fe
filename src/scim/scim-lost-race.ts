import { ApiError } from '../common/api-error';

/** A lost race inside a transaction (a concurrent insert of the same user, path or membership): run it again. */
export class RetryTransaction extends Error {}

/** A transaction that lost a race (RetryTransaction) runs again, six times in all (`retryOnConflict`). */
export const RETRY_LOST_RACES = { attempts: 6, retryable: (err: unknown) => err instanceof RetryTransaction };

/**
 * An error of the core while adding a user or a membership: its 409 (a concurrent request took the username, the
 * namespace path, the email or the membership) voids the transaction, which starts again; anything else goes on.
 */
export function lostRaceOr(err: unknown): unknown {
  return err instanceof ApiError && err.status === 409 ? new RetryTransaction() : err;
}
