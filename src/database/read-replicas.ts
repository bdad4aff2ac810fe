import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions, EntityManager, TypeORMError } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { withTimeout } from '../common/deadline';
import { counter, gauge } from '../instance/metrics';
import { withoutPreparedStatements } from './prepared-statements';
import { dataSourceOptions } from './data-source-options';
import { parseLsn, replicationLagSeconds, WalSample } from './replication-lag';

/** How often each replica (and the primary's WAL position) is probed. */
export const REPLICA_PROBE_INTERVAL_MS = 1000;
/** A probe or a replica connection that takes longer counts as a failure. */
const REPLICA_TIMEOUT_MS = 2000;
const withinReplicaTimeout = <T>(promise: Promise<T>) =>
  withTimeout(promise, REPLICA_TIMEOUT_MS, `no answer within ${REPLICA_TIMEOUT_MS} ms`);
/** A hot-path read on a replica that takes longer fails (and runs again on the primary). */
const REPLICA_QUERY_TIMEOUT_MS = 5000;
/** Primary WAL samples kept for the lag computation (10 minutes at one probe a second). */
const MAX_SAMPLES = 600;

export interface ReplicaStatus {
  /** `host:port/database`, never credentials. */
  name: string;
  /** Whether the last probe reached the replica. */
  up: boolean;
  /** Up and lagging at most DATABASE_REPLICA_MAX_LAG_SECONDS: reads are sent to it. */
  in_rotation: boolean;
  /** Seconds behind the primary (null while unknown, e.g. when down). */
  lag_seconds: number | null;
  /** Why it is out of rotation. */
  reason?: string;
}

const replicaUp = gauge('gitlab_database_replica_up', 'Whether the last health probe reached the read replica (1) or not (0)', ['replica']);
const replicaInRotation = gauge(
  'gitlab_database_replica_in_rotation',
  'Whether hot-path reads are sent to the read replica (1: reachable and within DATABASE_REPLICA_MAX_LAG_SECONDS)',
  ['replica'],
);
const replicaLag = gauge('gitlab_database_replica_lag_seconds', 'Replication lag of the read replica behind the primary, by WAL position', [
  'replica',
]);
const readsTotal = counter('gitlab_database_reads_total', 'Hot-path read units by the server that answered them (replica or primary)', [
  'server',
]);
const fallbacksTotal = counter(
  'gitlab_database_replica_fallbacks_total',
  'Hot-path reads retried on the primary after a connection failure on a read replica',
  ['replica'],
);

class Replica {
  readonly dataSource: DataSource;
  status: ReplicaStatus;
  private connecting?: Promise<void>;

  constructor(
    readonly url: string,
    options: DataSourceOptions,
  ) {
    this.dataSource = new DataSource(options);
    this.status = { name: replicaName(url), up: false, in_rotation: false, lag_seconds: null, reason: 'not probed yet' };
  }

  /** Initializes the data source once it can (a replica down at start is retried by every probe). */
  async ensureConnected(): Promise<void> {
    if (this.dataSource.isInitialized) return;
    this.connecting ??= this.dataSource
      .initialize()
      .then(() => undefined)
      .finally(() => (this.connecting = undefined));
    await this.connecting;
  }
}

/**
 * Read routing (the hot read paths of gitlab-shell, Gitaly and kas): `read(work)` runs a read-only unit of work
 * on a replica in rotation — round robin — or on the primary when none is. A replica leaves rotation when a probe
 * cannot reach it or finds it more than DATABASE_REPLICA_MAX_LAG_SECONDS behind, and when a read on it fails with
 * a connection error (that read is then retried on the primary); it returns once a probe finds it reachable and
 * caught up. Writes, and reads that must see the request's own writes, use `primary` (or the injected DataSource).
 */
@Injectable()
export class ReadReplicas implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ReadReplicas');
  private readonly replicas: Replica[];
  private readonly samples: WalSample[] = [];
  private readonly maxLagSeconds: number;
  private timer?: NodeJS.Timeout;
  private probing?: Promise<void>;
  private next = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.maxLagSeconds = config.databaseReplicaMaxLagSeconds;
    const urls = config.databaseUrl ? config.databaseReadReplicaUrls : [];
    this.replicas = urls.map((url) => {
      const base = dataSourceOptions({ url, poolSize: 10 });
      const options = {
        ...base,
        migrations: [],
        installExtensions: false,
        extra: { ...(base.extra as object), connectionTimeoutMillis: REPLICA_TIMEOUT_MS, query_timeout: REPLICA_QUERY_TIMEOUT_MS },
      } as DataSourceOptions;
      const replica = new Replica(url, options);
      if (!config.dbPreparedStatements) withoutPreparedStatements(replica.dataSource);
      return replica;
    });
  }

  /** The primary's manager: writes, and reads that must see them. */
  get primary(): EntityManager {
    return this.dataSource.manager;
  }

  /** Whether any replica is configured. */
  get configured(): boolean {
    return this.replicas.length > 0;
  }

  /**
   * Runs a read-only unit of work on a replica in rotation, else on the primary. The work receives that server's
   * EntityManager and passes it to the repository methods it calls (their optional last argument). A connection
   * failure on the replica takes it out of rotation and runs the work again on the primary; other errors propagate.
   */
  async read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const replica = this.pick();
    if (!replica) {
      if (this.replicas.length) readsTotal.inc({ server: 'primary' });
      return work(this.dataSource.manager);
    }
    try {
      const result = await work(replica.dataSource.manager);
      readsTotal.inc({ server: 'replica' });
      return result;
    } catch (err) {
      if (isConnectionError(err)) {
        this.markOut(replica, `read failed: ${(err as Error).message}`);
      } else if (isReplicaFault(err)) {
        // the replica's driver failed without saying the statement was wrong: the primary answers this read
        this.logger.warn(
          { replica: replica.status.name, reason: (err as Error).message },
          'read failed on the replica; answered from the primary',
        );
      } else {
        throw err;
      }
      fallbacksTotal.inc({ replica: replica.status.name });
      readsTotal.inc({ server: 'primary' });
      return work(this.dataSource.manager);
    }
  }

  /** `read` of one SQL statement. */
  readQuery<T = Record<string, unknown>>(sql: string, parameters?: unknown[]): Promise<T[]> {
    return this.read((m) => m.query(sql, parameters) as Promise<T[]>);
  }

  /** Every replica's state (readiness details). */
  statuses(): ReplicaStatus[] {
    return this.replicas.map((r) => ({ ...r.status }));
  }

  onApplicationBootstrap(): void {
    if (!this.replicas.length) return;
    this.logger.log(`${this.replicas.length} read replica(s) configured; maximum lag ${this.maxLagSeconds} s`);
    void this.probe();
    this.timer = setInterval(() => void this.probe(), REPLICA_PROBE_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.probing?.catch(() => undefined);
    for (const replica of this.replicas) {
      if (replica.dataSource.isInitialized) await replica.dataSource.destroy().catch(() => undefined);
    }
  }

  /** One probe round: the primary's WAL position, then every replica (rounds never overlap). */
  probe(): Promise<void> {
    this.probing ??= this.probeRound().finally(() => (this.probing = undefined));
    return this.probing;
  }

  private async probeRound(): Promise<void> {
    try {
      const rows: { lsn: string }[] = await withinReplicaTimeout(this.dataSource.query(`SELECT pg_current_wal_lsn()::text AS lsn`));
      const lsn = parseLsn(rows[0]?.lsn);
      if (lsn !== null) {
        this.samples.push({ lsn, at: Date.now() });
        if (this.samples.length > MAX_SAMPLES) this.samples.splice(0, this.samples.length - MAX_SAMPLES);
      }
    } catch {
      // primary unreachable (or itself a standby): lag falls back to receive/replay positions
    }
    await Promise.all(this.replicas.map((r) => this.probeReplica(r)));
  }

  private async probeReplica(replica: Replica): Promise<void> {
    const name = replica.status.name;
    try {
      await withinReplicaTimeout(replica.ensureConnected());
      const rows: { in_recovery: boolean; replay_lsn: string | null; receive_lsn: string | null; replay_age: number | null }[] =
        await withinReplicaTimeout(
          replica.dataSource.query(
            `SELECT pg_is_in_recovery() AS in_recovery, pg_last_wal_replay_lsn()::text AS replay_lsn,
               pg_last_wal_receive_lsn()::text AS receive_lsn,
               EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8 AS replay_age`,
          ),
        );
      const row = rows[0];
      const lag = row.in_recovery
        ? replicationLagSeconds(
            this.samples,
            {
              replayLsn: parseLsn(row.replay_lsn),
              receiveLsn: parseLsn(row.receive_lsn),
              replayAgeSeconds: row.replay_age === null ? null : Number(row.replay_age),
            },
            Date.now(),
          )
        : 0;
      const inRotation = lag <= this.maxLagSeconds;
      const was = replica.status.in_rotation;
      replica.status = {
        name,
        up: true,
        in_rotation: inRotation,
        lag_seconds: Number.isFinite(lag) ? Math.round(lag * 1000) / 1000 : null,
        ...(inRotation ? {} : { reason: `lag above ${this.maxLagSeconds} s` }),
      };
      if (was !== inRotation) {
        if (inRotation) this.logger.log({ replica: name, lag_seconds: replica.status.lag_seconds }, 'read replica back in rotation');
        else this.logger.warn({ replica: name, lag_seconds: replica.status.lag_seconds }, 'read replica out of rotation: lagging');
      }
    } catch (err) {
      const was = replica.status.in_rotation || replica.status.reason === 'not probed yet';
      replica.status = { name, up: false, in_rotation: false, lag_seconds: null, reason: `unreachable: ${(err as Error).message}` };
      if (was) this.logger.warn({ replica: name, err: (err as Error).message }, 'read replica out of rotation: unreachable');
    }
    this.export(replica);
  }

  private pick(): Replica | undefined {
    const n = this.replicas.length;
    for (let i = 0; i < n; i++) {
      const replica = this.replicas[(this.next + i) % n];
      if (replica.status.in_rotation && replica.dataSource.isInitialized) {
        this.next = (this.next + i + 1) % n;
        return replica;
      }
    }
    return undefined;
  }

  private markOut(replica: Replica, reason: string): void {
    if (replica.status.in_rotation) this.logger.warn({ replica: replica.status.name, reason }, 'read replica out of rotation');
    // unreachable: its lag is unknown until a probe reaches it again
    replica.status = { ...replica.status, up: false, in_rotation: false, lag_seconds: null, reason };
    this.export(replica);
  }

  private export(replica: Replica): void {
    const labels = { replica: replica.status.name };
    replicaUp.set(labels, replica.status.up ? 1 : 0);
    replicaInRotation.set(labels, replica.status.in_rotation ? 1 : 0);
    if (replica.status.lag_seconds !== null) replicaLag.set(labels, replica.status.lag_seconds);
  }
}

/** `host:port/database` of a connection string, without credentials. */
export function replicaName(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname || '/'}`;
  } catch {
    return 'replica';
  }
}

/**
 * Errors that say the server could not be used (rather than that the statement was wrong): network errors,
 * SQLSTATE classes 08 (connection exception), 53 (insufficient resources), 57P0x (shutdown, cannot connect now)
 * and 40001 (a standby cancelling a query that conflicts with recovery).
 */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: unknown; driverError?: { code?: unknown }; message?: unknown };
  const code = String(e?.driverError?.code ?? e?.code ?? '');
  if (/^(08|53)/.test(code) || /^57P0[1-4]$/.test(code) || code === '40001') return true;
  if (/^E[A-Z]+$/.test(code)) return true; // ECONNREFUSED, ECONNRESET, ETIMEDOUT, …
  const message = typeof e?.message === 'string' ? e.message : '';
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable|Query read timeout/i.test(
    message,
  );
}

/**
 * A database-layer error on a replica that is not a verdict on the statement: TypeORM or driver errors without a
 * SQLSTATE of the classes a primary would answer the same way (data, integrity, syntax or access errors, PL/pgSQL
 * raises). The application's own errors thrown inside a unit of work are never replica faults.
 */
export function isReplicaFault(err: unknown): boolean {
  if (!(err instanceof TypeORMError)) return false;
  const e = err as { code?: unknown; driverError?: { code?: unknown } };
  const code = String(e.driverError?.code ?? e.code ?? '');
  return !/^(0A|2[0-9A-Z]|3[0-9A-Z]|4[02]|P0)/.test(code);
}
