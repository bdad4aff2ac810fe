import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Seconds a client is told to wait (Retry-After) while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED']);
// SQLSTATE: class 08 connection exception; 57P01-57P03 server shutting down or starting up; 53300 too many connections
const SQLSTATE = /^(08[0-9A-Z]{3}|57P0[1-3]|53300)$/;
const MESSAGES = [
  /^Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error and is not queryable/i,
  /Connection is closed/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
];

/** Whether `err` (a query failure, wrapped or not) means PostgreSQL could not be reached or dropped the connection. */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const e = err as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && (NETWORK_CODES.has(e.code) || SQLSTATE.test(e.code))) return true;
  if (typeof e.message === 'string' && MESSAGES.some((re) => re.test(e.message as string))) return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(e.driverError, depth + 1) || isDatabaseUnavailable(e.cause, depth + 1);
}

/**
 * Tracks a database outage seen by requests: logs once when it starts and once when it ends (with its length
 * and the number of requests answered 503), probing PostgreSQL every second in between. The connection pool
 * reconnects by itself; nothing here restarts anything.
 */
@Injectable()
export class DatabaseOutage implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private since?: number;
  private failedRequests = 0;
  private probe?: NodeJS.Timeout;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  get ongoing(): boolean {
    return this.since !== undefined;
  }

  /** A request failed because the database is unreachable. */
  requestFailed(err: unknown): void {
    this.failedRequests++;
    if (this.since !== undefined) return;
    this.since = Date.now();
    const e = err as { code?: unknown; message?: unknown; driverError?: { code?: unknown } };
    const code = e?.driverError?.code ?? e?.code;
    this.logger.error({ code: typeof code === 'string' ? code : undefined, reason: typeof e?.message === 'string' ? e.message : undefined }, 'database unreachable: answering 503 until it is back');
    this.scheduleProbe();
  }

  private scheduleProbe(): void {
    this.probe = setTimeout(() => {
      this.probe = undefined;
      void this.dataSource
        .query('SELECT 1')
        .then(() => this.recovered())
        .catch(() => this.scheduleProbe());
    }, 1000);
    this.probe.unref();
  }

  private recovered(): void {
    if (this.since === undefined) return;
    const seconds = Math.round((Date.now() - this.since) / 100) / 10;
    this.logger.warn({ outage_seconds: seconds, failed_requests: this.failedRequests }, 'database reachable again');
    this.since = undefined;
    this.failedRequests = 0;
  }

  onApplicationShutdown(): void {
    if (this.probe) clearTimeout(this.probe);
  }
}
