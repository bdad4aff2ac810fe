import { DataSourceOptions } from 'typeorm';
import { registeredEntities } from './entity-registry';
import { MIGRATIONS } from './migrations';
import { NumericIdsSubscriber } from './numeric-ids.subscriber';

export interface ConnectionSettings {
  url: string;
  poolSize?: number;
}

/**
 * One server's data source. Read replicas get their own data sources (read-replicas.ts): TypeORM's implicit
 * master/slave choice would send every query-builder SELECT to a replica, including reads that must see the
 * request's own writes, and would fail the start when a replica is down.
 */
export function dataSourceOptions(settings: ConnectionSettings): DataSourceOptions {
  const base = {
    type: 'postgres' as const,
    entities: registeredEntities(),
    migrations: MIGRATIONS,
    subscribers: [NumericIdsSubscriber],
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    poolSize: settings.poolSize ?? 10,
    extra: { connectionTimeoutMillis: 10_000 },
  };
  return { ...base, url: settings.url };
}
