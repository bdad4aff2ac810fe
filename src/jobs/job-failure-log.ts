import { Logger } from '@nestjs/common';

export interface JobFailure {
  queue: string;
  /** The job's name (the queue's name for an unnamed job). */
  name: string;
  id?: string | number;
  /** 1 for the first attempt. */
  attempt: number;
  /** Attempts allowed in all. */
  attempts: number;
  err: unknown;
}

/**
 * One JSON log line per failed attempt of a job, whichever runner ran it: `queue`, `job_name`, `job_id`,
 * `attempt`, `max_attempts`, `final` (no attempt left) and `error` (the message; `err` carries type and stack).
 * A retried attempt logs at warn, the last one at error.
 */
export function logJobFailure(logger: Logger, failure: JobFailure): void {
  const final = failure.attempt >= failure.attempts;
  const error = failure.err instanceof Error ? failure.err.message : String(failure.err);
  const fields = {
    queue: failure.queue,
    job_name: failure.name,
    job_id: failure.id === undefined ? undefined : String(failure.id),
    attempt: failure.attempt,
    max_attempts: failure.attempts,
    final,
    error,
    err: failure.err,
  };
  if (final) logger.error(fields, `job ${failure.name} failed (attempt ${failure.attempt} of ${failure.attempts}, giving up)`);
  else logger.warn(fields, `job ${failure.name} failed (attempt ${failure.attempt} of ${failure.attempts}, will retry)`);
}
