import { Logger } from '@nestjs/common';
import { logJobFailure } from './job-failure-log';
import { JobHandler, JobOptions, JobQueue } from './job-queue';

/**
 * Runs jobs in this process, one at a time per queue, with the retry policy of the Bull queues (exponential
 * backoff). Used when REDIS_URL is unset; pending jobs do not survive a restart.
 */
export class InProcessJobQueue<T> implements JobQueue<T> {
  private readonly logger: Logger;
  private handler?: JobHandler<T>;
  private readonly waiting: { data: T; name: string; attempts: number; backoffMs: number; jobId?: string }[] = [];
  private readonly pendingIds = new Set<string>();
  private running = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    readonly name: string,
    private readonly baseDelayMs = 200,
  ) {
    this.logger = new Logger(`Queue:${name}`);
  }

  async add(data: T, options: JobOptions = {}): Promise<void> {
    if (this.closed) throw new Error(`queue ${this.name} is closed`);
    if (options.jobId) {
      if (this.pendingIds.has(options.jobId)) return;
      this.pendingIds.add(options.jobId);
    }
    this.waiting.push({ data, name: options.name ?? this.name, attempts: options.attempts ?? 3, backoffMs: options.backoffMs ?? this.baseDelayMs, jobId: options.jobId });
    setImmediate(() => void this.drain());
  }

  process(handler: JobHandler<T>): void {
    this.handler = handler;
    setImmediate(() => void this.drain());
  }

  private async drain(): Promise<void> {
    if (this.running || !this.handler) return;
    this.running = true;
    try {
      while (this.waiting.length) {
        const job = this.waiting.shift()!;
        for (let attempt = 1; ; attempt++) {
          try {
            await this.handler(job.data);
            break;
          } catch (err) {
            logJobFailure(this.logger, { queue: this.name, name: job.name, id: job.jobId, attempt, attempts: job.attempts, err });
            if (attempt >= job.attempts) break;
            await new Promise((r) => setTimeout(r, job.backoffMs * 2 ** (attempt - 1)));
          }
        }
        if (job.jobId) this.pendingIds.delete(job.jobId);
      }
    } finally {
      this.running = false;
      if (!this.waiting.length) this.idleWaiters.splice(0).forEach((resolve) => resolve());
    }
  }

  whenIdle(timeoutMs = 10_000): Promise<void> {
    if (!this.running && !this.waiting.length) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`queue ${this.name} not idle after ${timeoutMs} ms`)), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.whenIdle(30_000).catch(() => undefined);
  }
}
