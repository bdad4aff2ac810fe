/**
 * With DATABASE_URL (CI, developers with PostgreSQL): migrate one template database once; every test file
 * then clones it (CREATE DATABASE … TEMPLATE), which takes milliseconds. Without it: migrate one embedded
 * database once and save its data directory; every test app's in-memory embedded database starts as a copy.
 */
import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { runMigrations } from '../../src/database/migrate';
import { adminQuery, withDatabase } from './db-admin';
import { writeMigratedEmbeddedSeed } from './embedded-seed';

export default async function globalSetup(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const dir = mkdtempSync(join(tmpdir(), 'gia-seed-'));
    const seed = join(dir, 'migrated.tar');
    await writeMigratedEmbeddedSeed(seed);
    process.env.GIA_EMBEDDED_SEED = seed;
    process.stdout.write('\n[tests] embedded PostgreSQL (PGlite): each test app gets an in-memory copy of one migrated database\n');
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
