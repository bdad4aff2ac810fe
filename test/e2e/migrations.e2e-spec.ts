import { createTestApp, TestApp } from '../helpers/test-app';

describe('migrations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('leave nothing for the migration generator: the entities and the schema agree', async () => {
    const sql = await t.dataSource.driver.createSchemaBuilder().log();
    expect(sql.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('are all applied', async () => {
    expect(await t.dataSource.showMigrations()).toBe(false);
  });
});

const pgUrl = process.env.DATABASE_URL;
(pgUrl ? describe : describe.skip)('migrations on PostgreSQL', () => {
  it('several instances starting at once migrate a fresh database exactly once (advisory lock)', async () => {
    const { DataSource } = await import('typeorm');
    const { dataSourceOptions } = await import('../../src/database/data-source-options');
    const { runMigrations } = await import('../../src/database/migrate');
    const { adminQuery, withDatabase } = await import('../setup/db-admin');
    const name = `gia_mig_${process.pid}_${Date.now().toString(36)}`;
    await adminQuery(pgUrl!, `CREATE DATABASE "${name}"`);
    const sources = await Promise.all([1, 2, 3].map(() => new DataSource(dataSourceOptions({ url: withDatabase(pgUrl!, name), poolSize: 2 })).initialize()));
    try {
      await Promise.all(sources.map((ds) => runMigrations(ds, false)));
      const rows: { name: string }[] = await sources[0].query('SELECT name FROM schema_migrations');
      expect(rows.length).toBe(sources[0].migrations.length);
      expect(new Set(rows.map((r) => r.name)).size).toBe(rows.length);
    } finally {
      await Promise.all(sources.map((ds) => ds.destroy()));
      await adminQuery(pgUrl!, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  });
});
