import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants as zlib } from 'node:zlib';

/**
 * A new embedded database starts as a copy of a template cluster: the data directory PGlite's initdb makes,
 * made once with the pinned PGlite (`npm run embedded:template`) and shipped with the service, brotli-compressed
 * (about 1 MB). PGlite's initdb runs two WebAssembly instances and takes a first start to about 850 MB of
 * memory; a start that unpacks the template peaks near 450 MB and skips initdb's seconds of CPU.
 *
 * The template holds no schema: the service's migrations run on it at start, as on any new database.
 * `pglite-cluster.json` names the PGlite version and the initdb arguments that made it; with any other version
 * installed the template is ignored and initdb runs as before (a PGlite upgrade, or other initdb arguments, fail
 * the template's unit test until it is remade).
 */
const templateFile = (dir: string) => join(dir, 'pglite-cluster.tar.br');
const manifestFile = (dir: string) => join(dir, 'pglite-cluster.json');

/** 1 MB WAL segments: a new database then holds a 1 MB instead of a 16 MB (mostly empty) WAL file. */
export const TEMPLATE_INITDB_ARGS = ['--wal-segsize=1'];

export interface TemplateManifest {
  /** the @electric-sql/pglite version whose initdb made the template */
  pglite: string;
  initdbArgs: string[];
}

/** The installed @electric-sql/pglite version (its package.json is not exported, so it is found beside its entry). */
export function installedPgliteVersion(): string {
  let dir = dirname(require.resolve('@electric-sql/pglite'));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The manifest of the template shipped beside this file (in src/ and, copied by the build, in dist/). */
export function readTemplateManifest(dir = __dirname): TemplateManifest | undefined {
  const file = manifestFile(dir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as TemplateManifest) : undefined;
}

export type TemplateChoice = { tarball: Uint8Array } | { reason: string };

/** The template as a data directory tarball, or why a new database must run initdb instead. */
export function clusterTemplate(installed = installedPgliteVersion(), dir = __dirname): TemplateChoice {
  const manifest = readTemplateManifest(dir);
  if (!manifest || !existsSync(templateFile(dir))) return { reason: 'no cluster template is installed' };
  if (manifest.pglite !== installed) {
    return { reason: `the cluster template was made by PGlite ${manifest.pglite}, PGlite ${installed} is installed` };
  }
  return { tarball: brotliDecompressSync(readFileSync(templateFile(dir))) };
}

/** Writes a data directory tarball as the template in `dir`, with its manifest. */
export function writeClusterTemplate(tarball: Uint8Array, pglite: string, dir: string): void {
  const compressed = brotliCompressSync(tarball, {
    params: {
      [zlib.BROTLI_PARAM_QUALITY]: 11,
      [zlib.BROTLI_PARAM_LGWIN]: 24,
      [zlib.BROTLI_PARAM_SIZE_HINT]: tarball.byteLength,
    },
  });
  writeFileSync(templateFile(dir), compressed);
  const manifest: TemplateManifest = { pglite, initdbArgs: TEMPLATE_INITDB_ARGS };
  writeFileSync(manifestFile(dir), `${JSON.stringify(manifest, null, 2)}\n`);
}
