import { uniqueViolation } from './db-errors';

/** Whether an error is a PostgreSQL unique violation (a concurrent request won a race for the same row). */
export const isUniqueViolation = (err: unknown): boolean => uniqueViolation(err) !== null;

/**
 * Runs `work` and, when it fails with a retryable error (by default a unique violation), runs it again, at most
 * `attempts` times in all. The last failure, or the first one that is not retryable, goes to the caller, which
 * maps it to its documented answer. `work` must be a whole transaction: a failed statement voids the one it ran in.
 */
export async function retryOnConflict<T>(
  work: (attempt: number) => Promise<T>,
  options: { attempts: number; retryable?: (err: unknown) => boolean },
): Promise<T> {
  const retryable = options.retryable ?? isUniqueViolation;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (err) {
      if (attempt >= options.attempts || !retryable(err)) throw err;
    }
  }
}
