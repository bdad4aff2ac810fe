import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { writeFileSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { clusterTemplate, TEMPLATE_INITDB_ARGS } from '../../src/database/embedded/cluster-template';
import { EMBEDDED_POOL_SIZE } from '../../src/database/embedded/embedded-postgres';
import { tarball } from '../../src/database/embedded/pglite-server';
import { runMigrations } from '../../src/database/migrate';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = (srv.address() as AddressInfo);
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Creates one embedded database as the service creates a new one (from the cluster template, or by initdb when
 * the installed PGlite did not make the template), migrates it the way the service does at start, and writes its
 * data directory as a tarball to `file`: every test file's database then starts as a copy of it (no initdb, no
 * migrations), as the PostgreSQL mode clones a migrated template.
 */
export async function writeMigratedEmbeddedSeed(file: string): Promise<void> {
  const template = clusterTemplate();
  const db = await PGlite.create(
    'memory://',
    'tarball' in template ? { loadDataDir: tarball(template.tarball) } : { initDbStartParams: TEMPLATE_INITDB_ARGS },
  );
  try {
    const port = await freePort();
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections: 2 });
    await server.start();
    try {
      const url = `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
      const ds = await new DataSource(dataSourceOptions({ url, poolSize: EMBEDDED_POOL_SIZE })).initialize();
      try {
        await runMigrations(ds, true);
      } finally {
        await ds.destroy();
      }
    } finally {
      await server.stop();
    }
    // every test app reads this directory into memory: the two template databases (15 of its 33 MB) serve only
    // CREATE DATABASE, which no test runs on the embedded database
    await db.exec(`UPDATE pg_database SET datistemplate = false WHERE datname IN ('template0', 'template1')`);
    await db.exec('DROP DATABASE template0');
    await db.exec('DROP DATABASE template1');
    await db.exec('CHECKPOINT');
    const dump = await db.dumpDataDir('none');
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  } finally {
    await db.close();
  }
}
