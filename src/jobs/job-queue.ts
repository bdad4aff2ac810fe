/** The interface every queue of the product offers, whether Bull on Redis or the in-process runner. */
export interface JobOptions {
  /** A job with the id of a job still pending (on Redis: or completed within the last day) is not added twice. */
  jobId?: string;
  /** Job name (Bull's named jobs); the queue's one handler processes every name. */
  name?: string;
  attempts?: number;
  /** First retry delay of the exponential backoff, in milliseconds. */
  backoffMs?: number;
}

export type JobHandler<T> = (data: T) => Promise<void>;

export interface JobQueue<T = unknown> {
  readonly name: string;
  add(data: T, options?: JobOptions): Promise<void>;
  /** Registers the single handler of this queue (call once, at module init). */
  process(handler: JobHandler<T>): void;
  /** Resolves once nothing is waiting or running (tests and graceful shutdown). */
  whenIdle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export const queueToken = (name: string) => `JOB_QUEUE:${name}`;
