/**
 * With DATABASE_URL (CI, developers with PostgreSQL): migrate one template database once; every test file
 * then clones it (CREATE DATABASE … TEMPLATE), which takes milliseconds. Without it every test file runs on
 * its own in-memory embedded database.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { runMigrations } from '../../src/database/migrate';
import { adminQuery, withDatabase } from './db-admin';

export default async function globalSetup(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stdout.write('\n[tests] embedded PostgreSQL (PGlite), one in-memory database per test file\n');
    return;
  }
  const template = `gia_tpl_${process.pid}_${Date.now().toString(36)}`;
  await adminQuery(url, `CREATE DATABASE "${template}"`);
  const ds = await new DataSource(dataSourceOptions({ url: withDatabase(url, template), poolSize: 2 })).initialize();
  try {
    await runMigrations(ds, false);
  } finally {
    await ds.destroy();
  }
  process.env.GIA_TEMPLATE_DB = template;
  process.stdout.write(`\n[tests] PostgreSQL template ${template}; Redis ${process.env.REDIS_URL ? 'on' : 'off'}\n`);
}
