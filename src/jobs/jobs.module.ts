import { getQueueToken } from '@nestjs/bull';
import { DynamicModule, Global, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import Bull from 'bull';
import { APP_CONFIG, AppConfig } from '../config/config';
import { registerEntities } from '../database/entity-registry';
import { BullJobQueue } from './bull-job-queue';
import { InProcessJobQueue } from './in-process-job-queue';
import { JobOutboxEntry } from './entities/job-outbox.entity';
import { JobQueue, queueToken } from './job-queue';

export const JOBS_ENTITIES = registerEntities([JobOutboxEntry]);

const QUEUE_NAMES = new Set<string>();

/**
 * Closes every queue on shutdown, after in-flight jobs finished. The queues close together: Bull's close asks its
 * blocking connection to QUIT, which Redis cannot answer while that connection waits for a job, so each close
 * takes Bull's 500 ms timeout.
 */
@Injectable()
class QueueCloser implements OnApplicationShutdown {
  constructor(private readonly moduleRef: ModuleRef) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(
      [...QUEUE_NAMES].map((name) =>
        this.queue(name)
          ?.close()
          .catch(() => undefined),
      ),
    );
  }

  private queue(name: string): JobQueue | undefined {
    try {
      return this.moduleRef.get<JobQueue>(queueToken(name), { strict: false });
    } catch {
      return undefined;
    }
  }
}

/**
 * Background jobs: Bull queues on Redis when REDIS_URL is set, otherwise the in-process runner with the same
 * interface. A feature module imports `JobsModule.registerQueue(name)` and injects the queue with
 * `@Inject(queueToken(name))`; it registers its handler with `queue.process(...)` at init.
 *
 * The Bull queue is created by a factory that reads the configuration, so that no Redis connection is ever
 * attempted without REDIS_URL (a static `BullModule.registerQueue` would connect at import time).
 */
@Global()
@Module({ providers: [QueueCloser] })
export class JobsModule {
  static registerQueue(name: string): DynamicModule {
    QUEUE_NAMES.add(name);
    return {
      module: JobsModule,
      providers: [
        {
          provide: getQueueToken(name),
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => (config.redisUrl ? new Bull(name, config.redisUrl, { prefix: config.redisPrefix }) : null),
        },
        {
          provide: queueToken(name),
          inject: [getQueueToken(name)],
          useFactory: (bull: Bull.Queue | null) => (bull ? new BullJobQueue(bull) : new InProcessJobQueue(name)),
        },
      ],
      exports: [queueToken(name)],
    };
  }
}
