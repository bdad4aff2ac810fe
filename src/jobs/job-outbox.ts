import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { withTimeout } from '../common/deadline';
import { JobQueue } from './job-queue';

/** What travels through the queue: only the outbox entry's id (the work itself is in PostgreSQL). */
export interface OutboxMessage {
  outbox_id: number;
}

/** How long handing one entry to its queue may take on a request path (Redis may be down or frozen). */
export const OUTBOX_ENQUEUE_TIMEOUT_MS = 500;
/** Relay loop period. */
export const OUTBOX_RELAY_INTERVAL_MS = 1000;
/** An entry still present this long after it was handed over is handed over again (Redis may have lost it). */
export const OUTBOX_REDELIVER_AFTER_SECONDS = 5;
/** An entry handed over this many times without being done is left in the table and logged. */
export const OUTBOX_MAX_DELIVERIES = 10;

interface Consumer {
  queue: JobQueue<OutboxMessage>;
  attempts: number;
  backoffMs: number;
}

/**
 * The transactional outbox of background work. A request records its work with `record(m, queue, data)` in its
 * own transaction (so a 200 means the work is in PostgreSQL), then `deliver(id)` hands it to the queue, bounded
 * by OUTBOX_ENQUEUE_TIMEOUT_MS. A relay loop hands over whatever was not handed over or was lost (a Redis that
 * came back empty), and the queue's handler deletes the entry in the transaction that does the work: each
 * entry is done exactly once however often it is delivered. One instance per module that consumes queues.
 */
@Injectable()
export class JobOutbox implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('JobOutbox');
  private readonly consumers = new Map<string, Consumer>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private relayFailing = false;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Registers the handler of `queue`. `prepare` reads what it needs (outside any transaction: the embedded
   * database has one connection) and returns the writes to make, or null for none; the writes run in the
   * transaction that deletes the entry, so they commit together and only once.
   */
  consume<T>(
    queue: JobQueue<OutboxMessage>,
    prepare: (data: T) => Promise<((m: EntityManager) => Promise<void>) | null>,
    options: { attempts?: number; backoffMs?: number } = {},
  ): void {
    this.consumers.set(queue.name, { queue, attempts: options.attempts ?? 3, backoffMs: options.backoffMs ?? 2000 });
    queue.process(async (message) => {
      const rows: { data: T }[] = await this.dataSource.query(`SELECT data FROM job_outbox WHERE id = $1`, [message.outbox_id]);
      if (!rows.length) return; // done already (delivered twice)
      const write = await prepare(rows[0].data);
      await this.dataSource.transaction(async (m) => {
        // the row lock makes a concurrent second delivery wait here, then find nothing to delete
        const deleted: unknown[] = await m.query(`WITH done AS (DELETE FROM job_outbox WHERE id = $1 RETURNING id) SELECT id FROM done`, [
          message.outbox_id,
        ]);
        if (deleted.length && write) await write(m);
      });
    });
  }

  /**
   * Writes the work in the caller's transaction; returns the entry id for `deliver`. The entry counts as being
   * handed over now (the caller delivers it right after commit), so the relay loop only takes it when it is
   * still there OUTBOX_REDELIVER_AFTER_SECONDS later.
   */
  async record(m: EntityManager, queue: string, data: object): Promise<number> {
    if (!this.consumers.has(queue)) throw new Error(`no consumer for queue ${queue}`);
    const rows: { id: string | number }[] = await m.query(
      `INSERT INTO job_outbox (queue, data, relayed_at) VALUES ($1, $2, now()) RETURNING id`,
      [queue, JSON.stringify(data)],
    );
    return Number(rows[0].id);
  }

  /** Hands committed entries to their queues, each bounded by OUTBOX_ENQUEUE_TIMEOUT_MS; never throws. */
  async deliver(entries: { id: number; queue: string; deliveries?: number }[]): Promise<number[]> {
    const delivered: number[] = [];
    await Promise.all(
      entries.map(async ({ id, queue, deliveries = 0 }) => {
        const consumer = this.consumers.get(queue);
        if (!consumer) return;
        try {
          await withTimeout(
            consumer.queue.add(
              { outbox_id: id },
              // each delivery is its own queue job: a job of an earlier delivery that the queue still keeps (failed, or
              // lost its answer) must not swallow this one; the row's DELETE in `consume` keeps the work exactly-once
              { jobId: `outbox-${id}-${deliveries}`, name: queue, attempts: consumer.attempts, backoffMs: consumer.backoffMs },
            ),
            OUTBOX_ENQUEUE_TIMEOUT_MS,
          );
          delivered.push(id);
        } catch {
          // stays in the outbox; the relay loop hands it over once the queue answers again
        }
      }),
    );
    if (delivered.length) {
      await this.dataSource
        .query(`UPDATE job_outbox SET relayed_at = now(), deliveries = deliveries + 1 WHERE id = ANY($1::bigint[])`, [delivered])
        .catch(() => undefined);
    }
    return delivered;
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.consumers.size === 0) return;
    this.timer = setTimeout(() => {
      this.running = this.relay().finally(() => {
        this.running = undefined;
        this.schedule(OUTBOX_RELAY_INTERVAL_MS);
      });
    }, delayMs);
    this.timer.unref();
  }

  /** One pass of the relay loop: entries never handed over, or handed over a while ago and still not done. */
  async relay(): Promise<void> {
    let entries: { id: string; queue: string; deliveries: number }[];
    try {
      entries = await this.dataSource.query(
        `SELECT id, queue, deliveries FROM job_outbox
         WHERE queue = ANY($1) AND deliveries < $2
           AND (relayed_at IS NULL OR relayed_at < now() - make_interval(secs => $3))
         ORDER BY id LIMIT 200`,
        [[...this.consumers.keys()], OUTBOX_MAX_DELIVERIES, OUTBOX_REDELIVER_AFTER_SECONDS],
      );
    } catch {
      return; // the database is unreachable: its outage is logged where requests fail
    }
    if (!entries.length) return;
    // one probe first: while the queue does not answer, do not pile up an attempt per entry
    const [first, ...rest] = entries.map((e) => ({ id: Number(e.id), queue: e.queue, deliveries: e.deliveries }));
    const ok = (await this.deliver([first])).length === 1;
    if (ok !== !this.relayFailing) {
      this.relayFailing = !ok;
      if (ok) this.logger.log({ pending: entries.length }, 'job queue reachable again: relaying pending jobs');
      else this.logger.warn({ pending: entries.length }, 'job queue unreachable: jobs stay in job_outbox until it answers');
    }
    if (!ok) return;
    for (let i = 0; i < rest.length; i += 20) await this.deliver(rest.slice(i, i + 20));
    for (const e of entries) {
      if (e.deliveries + 1 === OUTBOX_MAX_DELIVERIES)
        this.logger.error(
          { outbox_id: Number(e.id), queue: e.queue },
          `job not done after ${OUTBOX_MAX_DELIVERIES} deliveries: left in job_outbox`,
        );
    }
  }
}
