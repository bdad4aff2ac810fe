import { DataSourceOptions } from 'typeorm';
import { registeredEntities } from './entity-registry';
import { MIGRATIONS } from './migrations';
import { NumericIdsSubscriber } from './numeric-ids.subscriber';

export interface ConnectionSettings {
  url: string;
  replicaUrls?: string[];
  poolSize?: number;
}

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
  if (settings.replicaUrls && settings.replicaUrls.length > 0) {
    return {
      ...base,
      replication: {
        master: { url: settings.url },
        slaves: settings.replicaUrls.map((url) => ({ url })),
      },
    };
  }
  return { ...base, url: settings.url };
}
