import { Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { logJobFailure } from './job-failure-log';
import { JobHandler, JobOptions, JobQueue } from './job-queue';

/** A Bull queue on Redis: jobs survive restarts and are shared by every instance. */
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
      removeOnComplete: true,
      removeOnFail: 1000,
    };
    if (options.name) await this.queue.add(options.name, data, jobOptions);
    else await this.queue.add(data, jobOptions);
  }

  process(handler: JobHandler<T>): void {
    void this.queue.process('*', 4, (job) => handler(job.data)).catch((err: Error) => this.logger.error({ err }, 'queue processing stopped'));
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
