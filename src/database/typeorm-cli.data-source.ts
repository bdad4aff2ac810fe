/**
 * Data source for the TypeORM CLI (`npm run migration:generate`, and the CI check that generating a migration
 * after all of them finds nothing). Reads DATABASE_URL directly: it is a tool, not the service.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
// loads every module, and so registers every entity
import '../app.module';
import { dataSourceOptions } from './data-source-options';
import { installPgTypeParsers } from './pg-types';

installPgTypeParsers();
export default new DataSource(dataSourceOptions({ url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' }));
