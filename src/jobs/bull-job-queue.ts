import { Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { withTimeout } from '../common/deadline';
import { logJobFailure } from './job-failure-log';
import { JobHandler, JobOptions, JobQueue } from './job-queue';

/** The longest `add` waits for Redis (callers are requests); Bull may still enqueue the job later. */
export const BULL_ADD_TIMEOUT_MS = 1000;

/** How long a completed job with an id keeps that id taken (longer than any scheduling slot of the product). */
export const COMPLETED_JOB_ID_TTL_SECONDS = 24 * 3600;

/**
 * A Bull queue on Redis: jobs survive restarts and are shared by every instance. `add` fails after
 * BULL_ADD_TIMEOUT_MS when Redis is down or frozen (Bull's client would otherwise wait for it to come back).
 */
export class BullJobQueue<T> implements JobQueue<T> {
  private readonly logger: Logger;

  constructor(private readonly queue: Queue<T>) {
    this.logger = new Logger(`Queue:${queue.name}`);
    // every failed attempt of a job this process ran (Bull counts the attempt before emitting)
    queue.on('failed', (job, err) =>
      logJobFailure(this.logger, {
        queue: queue.name,
        name: job.name && job.name !== '__default__' ? job.name : queue.name,
        id: job.id,
        attempt: job.attemptsMade,
        attempts: job.opts.attempts ?? 1,
        err,
      }),
    );
  }

  get name(): string {
    return this.queue.name;
  }

  async add(data: T, options: JobOptions = {}): Promise<void> {
    const jobOptions = {
      jobId: options.jobId,
      attempts: options.attempts ?? 3,
      backoff: { type: 'exponential', delay: options.backoffMs ?? 1000 },
      // a job with an id stays recorded for a day once done, so another instance adding the same id runs nothing
      removeOnComplete: options.jobId ? { age: COMPLETED_JOB_ID_TTL_SECONDS } : true,
      removeOnFail: 1000,
    };
    const added = options.name ? this.queue.add(options.name, data, jobOptions) : this.queue.add(data, jobOptions);
    await withTimeout(added, BULL_ADD_TIMEOUT_MS, `Redis did not take the job within ${BULL_ADD_TIMEOUT_MS} ms`);
  }

  process(handler: JobHandler<T>): void {
    void this.queue
      .process('*', 4, (job) => handler(job.data))
      .catch((err: Error) => this.logger.error({ err }, 'queue processing stopped'));
  }

  async whenIdle(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const counts = await this.queue.getJobCounts();
      if (counts.waiting + counts.active + counts.delayed === 0) return;
      if (Date.now() > deadline) throw new Error(`queue ${this.name} not idle after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
