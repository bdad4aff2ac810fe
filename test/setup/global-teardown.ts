import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { adminQuery } from './db-admin';

export default async function globalTeardown(): Promise<void> {
  const seed = process.env.GIA_EMBEDDED_SEED;
  if (seed) rmSync(dirname(seed), { recursive: true, force: true });
  const url = process.env.DATABASE_URL;
  const template = process.env.GIA_TEMPLATE_DB;
  if (!url || !template) return;
  // the per-file clones are dropped by each file; the template goes last
  await adminQuery(url, `DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
}
