import { adminQuery } from './db-admin';

export default async function globalTeardown(): Promise<void> {
  const url = process.env.DATABASE_URL;
  const template = process.env.GIA_TEMPLATE_DB;
  if (!url || !template) return;
  // the per-file clones are dropped by each file; the template goes last
  await adminQuery(url, `DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
}
