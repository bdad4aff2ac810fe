/**
 * `npm run embedded:template`: runs PGlite's initdb once and writes its data directory as the cluster template
 * every new embedded database starts from (src/database/embedded/pglite-cluster.tar.br and its manifest).
 * Run it after upgrading @electric-sql/pglite, and commit both files.
 */
import { PGlite } from '@electric-sql/pglite';
import { join } from 'node:path';
import { installedPgliteVersion, TEMPLATE_INITDB_ARGS, writeClusterTemplate } from '../database/embedded/cluster-template';

async function main(): Promise<void> {
  const db = await PGlite.create('memory://', { initDbStartParams: TEMPLATE_INITDB_ARGS });
  let tarball: Uint8Array;
  try {
    await db.exec('CHECKPOINT');
    tarball = new Uint8Array(await (await db.dumpDataDir('none')).arrayBuffer());
  } finally {
    await db.close();
  }
  const version = installedPgliteVersion();
  const dir = join(process.cwd(), 'src', 'database', 'embedded');
  writeClusterTemplate(tarball, version, dir);
  process.stdout.write(`cluster template of PGlite ${version} written to ${dir}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
