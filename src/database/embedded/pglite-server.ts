import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { mkdirSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';

export interface RunningPglite {
  port: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A data directory tarball (`dumpDataDir('none')`) as PGlite reads it. PGlite only calls `arrayBuffer()` and
 * reads `type`; handing it the bytes directly skips Node's Blob, which copies a large tarball in small chunks.
 */
export function tarball(bytes: Uint8Array): Blob {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  // PGlite copies each file out of the tarball and never writes to it, so the bytes are handed over as they are
  const arrayBuffer = async () => (whole ? bytes.buffer : bytes.slice().buffer) as ArrayBuffer;
  return { type: 'application/x-tar', size: bytes.byteLength, arrayBuffer } as unknown as Blob;
}

/**
 * PGlite's default of 128 MB of shared buffers is a production server's; it zero-fills them at every start (a
 * second of CPU) and keeps them resident. The embedded database is a development one: 16 MB (2048 pages), and
 * 4 MB for a test's short-lived in-memory copy.
 */
const defaults = (PGlite as unknown as { defaultStartParams?: string[] }).defaultStartParams;
const withSharedBuffers = (pages: number) => (defaults ? { startParams: [...defaults, '-c', `shared_buffers=${pages}`] } : {});
const SERVICE_START_PARAMS = withSharedBuffers(2048);
const SEEDED_START_PARAMS = withSharedBuffers(512);

/**
 * Opens (or creates) the database in `dataDir` (`memory://` for a throw-away one) and serves it on loopback.
 * `seed`, a data directory tarball, fills a new database instead of running initdb (the cluster template, or
 * the tests' migrated copy).
 */
export async function startPgliteServer(dataDir: string, maxConnections: number, seed?: Uint8Array): Promise<RunningPglite> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const params = seed && dataDir.startsWith('memory://') ? SEEDED_START_PARAMS : SERVICE_START_PARAMS;
  const db = await PGlite.create(dataDir, seed ? { loadDataDir: tarball(seed), ...params } : params);
  const port = await freePort();
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections });
  await server.start();
  return {
    port,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
