import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterTemplate, installedPgliteVersion, readTemplateManifest, TEMPLATE_INITDB_ARGS } from './cluster-template';
import { startEmbeddedPostgres } from './embedded-postgres';
import { Client } from 'pg';

describe('the cluster template of the embedded database', () => {
  it('was made by the installed PGlite with the initdb arguments of today (else: npm run embedded:template, and commit it)', () => {
    expect(readTemplateManifest()?.pglite).toBe(installedPgliteVersion());
    expect(readTemplateManifest()?.initdbArgs).toEqual(TEMPLATE_INITDB_ARGS);
  });

  it('is not used when another PGlite made it, or when none is installed, and says why', () => {
    const manifest = readTemplateManifest()!;
    expect(clusterTemplate('0.0.1')).toEqual({
      reason: `the cluster template was made by PGlite ${manifest.pglite}, PGlite 0.0.1 is installed`,
    });
    const empty = mkdtempSync(join(tmpdir(), 'gia-template-'));
    try {
      expect(clusterTemplate(installedPgliteVersion(), empty)).toEqual({ reason: 'no cluster template is installed' });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('becomes a new, empty data directory at the first start, which later starts open as it was left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gia-embedded-'));
    const query = async (url: string, sql: string) => {
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query(sql)).rows;
      } finally {
        await client.end();
      }
    };
    try {
      const first = await startEmbeddedPostgres(dir);
      try {
        expect(first.created).toEqual({ by: 'template' });
        // an empty database of the installed PGlite's PostgreSQL, with the template's 1 MB WAL segments
        expect(
          await query(
            first.url,
            "SELECT version(), current_setting('wal_segment_size') AS wal, (SELECT count(*)::int FROM pg_tables WHERE schemaname = 'public') AS tables",
          ),
        ).toEqual([{ version: expect.stringContaining(`(PGlite ${installedPgliteVersion()})`), wal: '1MB', tables: 0 }]);
        await query(first.url, 'CREATE TABLE kept (x int); INSERT INTO kept VALUES (7)');
      } finally {
        await first.stop();
      }
      const second = await startEmbeddedPostgres(dir);
      try {
        expect(second.created).toBeUndefined();
        expect(await query(second.url, 'SELECT x FROM kept')).toEqual([{ x: 7 }]);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
