import { createHash } from 'node:crypto';
import type { Pool, QueryResultRow } from 'pg';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { Queryable } from '../common/queryable';

/**
 * Named prepared statements for the hot paths (`/allowed`, `/authorized_keys`).
 *
 * A statement sent without a name is parsed and planned by PostgreSQL on every execution; for the recursive
 * namespace walks of `/allowed` that planning costs several times the execution (about 0.6 ms of server CPU per
 * statement, against 0.05–0.12 ms prepared, measured on the benchmark's data). A named statement is parsed once
 * per connection and its plan cached by the server, so the database's CPU, which the service shares with it on
 * a small machine, goes to answering.
 *
 * The name is derived from the text, so one text always has one name, and the pg driver prepares it once on each
 * pooled connection. Data sources where names cannot be kept are left out: the embedded database (one server
 * session behind every socket connection, so a reconnecting pool would meet names it did not prepare) and
 * `DB_PREPARED_STATEMENTS=false` (a pooler in transaction mode). There, and inside a transaction (which runs on
 * the transaction's own connection), the statement runs unnamed through TypeORM as before.
 */
const UNPREPARED = new WeakSet<DataSource>();

/** At most this many distinct texts get a name: the set is fixed by the code, so this only bounds a mistake. */
const MAX_NAMES = 256;
const NAMES = new Map<string, string>();

/** Statements of `dataSource` run unnamed (embedded database, or prepared statements turned off). */
export function withoutPreparedStatements(dataSource: DataSource): void {
  UNPREPARED.add(dataSource);
}

function nameOf(text: string): string | undefined {
  let name = NAMES.get(text);
  if (name === undefined && NAMES.size < MAX_NAMES) {
    name = `gia_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    NAMES.set(text, name);
  }
  return name;
}

/** The data source whose pool may run `q`'s statements named: a DataSource, or an EntityManager outside a transaction. */
function poolOwner(q: Queryable): DataSource | undefined {
  if (q instanceof DataSource) return q;
  if (q instanceof EntityManager && !q.queryRunner) return q.connection;
  return undefined; // a QueryRunner or a transaction's manager: its own connection, unnamed
}

/**
 * Runs a SELECT on `q`'s server as a named prepared statement and resolves with its rows. Failures are TypeORM
 * `QueryFailedError`s carrying the driver's error, as `q.query` throws them, so outage and replica handling see
 * the same errors.
 */
export async function preparedQuery<T extends QueryResultRow = Record<string, unknown>>(q: Queryable, text: string, values: unknown[]): Promise<T[]> {
  const owner = poolOwner(q);
  const name = owner && !UNPREPARED.has(owner) ? nameOf(text) : undefined;
  const pool = owner && (owner.driver as unknown as { master?: Pool }).master;
  if (name === undefined || !pool) return q.query(text, values) as Promise<T[]>;
  try {
    return (await pool.query<T>({ name, text, values })).rows;
  } catch (err) {
    throw new QueryFailedError(text, values, err as Error);
  }
}
