import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { dataSourceOptions } from './data-source-options';
import { EMBEDDED_POOL_SIZE, EmbeddedPostgres, startEmbeddedPostgres } from './embedded/embedded-postgres';
import { runMigrations } from './migrate';
import { withoutPreparedStatements } from './prepared-statements';
import { ReadReplicas } from './read-replicas';
import { installPgTypeParsers } from './pg-types';

export const DATABASE_SERVER = Symbol('DATABASE_SERVER');

export interface DatabaseServer {
  url: string;
  embedded: boolean;
  embeddedServer?: EmbeddedPostgres;
}

@Global()
@Module({})
class DatabaseServerModule implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  constructor(
    @Inject(DATABASE_SERVER) private readonly server: DatabaseServer,
    private readonly moduleRef: ModuleRef,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.server.embeddedServer) return;
    const dataSource = this.moduleRef.get(DataSource, { strict: false });
    if (dataSource?.isInitialized) await dataSource.destroy();
    await this.server.embeddedServer.stop();
    this.logger.log('embedded PostgreSQL stopped');
  }
}

/**
 * The database: real PostgreSQL when DATABASE_URL is set, else the embedded PGlite in DATA_DIR, both through
 * TypeORM's `postgres` driver. Migrations run at start unless DB_SKIP_MIGRATIONS.
 */
@Module({})
export class DatabaseModule {
  static forRoot(): DynamicModule {
    const serverProvider = {
      provide: DATABASE_SERVER,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig): Promise<DatabaseServer> => {
        installPgTypeParsers();
        if (config.databaseUrl) return { url: config.databaseUrl, embedded: false };
        const embeddedServer = await startEmbeddedPostgres(config.dataDir);
        const logger = new Logger('Database');
        const created = embeddedServer.created;
        if (created?.by === 'template') logger.log(`created a new embedded database in ${config.dataDir} from the cluster template`);
        if (created?.by === 'initdb') logger.warn(`created a new embedded database in ${config.dataDir} by initdb: ${created.reason}`);
        logger.log(`embedded PostgreSQL (PGlite) serving ${config.dataDir}`);
        return { url: embeddedServer.url, embedded: true, embeddedServer };
      },
    };
    const serverModule: DynamicModule = {
      module: DatabaseServerModule,
      providers: [serverProvider],
      exports: [DATABASE_SERVER],
      global: true,
    };
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        serverModule,
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG, DATABASE_SERVER],
          useFactory: (_config: AppConfig, server: DatabaseServer) =>
            dataSourceOptions({
              url: server.url,
              poolSize: server.embedded ? EMBEDDED_POOL_SIZE : 10,
            }),
          dataSourceFactory: async (options) => {
            const dataSource = await new DataSource(options!).initialize();
            return dataSource;
          },
        }),
      ],
      providers: [
        {
          provide: 'DATABASE_MIGRATED',
          inject: [DataSource, APP_CONFIG, DATABASE_SERVER],
          useFactory: async (dataSource: DataSource, config: AppConfig, server: DatabaseServer) => {
            if (server.embedded || !config.dbPreparedStatements) withoutPreparedStatements(dataSource);
            if (!config.dbSkipMigrations) await runMigrations(dataSource, server.embedded);
            return true;
          },
        },
        ReadReplicas,
      ],
      exports: ['DATABASE_MIGRATED', ReadReplicas],
    };
  }
}
