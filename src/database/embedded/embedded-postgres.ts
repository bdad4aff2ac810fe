import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { clusterTemplate } from './cluster-template';
import type { RunningPglite } from './pglite-server';

/**
 * All pooled connections of PGlite share one backend session, so the pool is one connection: transactions are
 * then serialised instead of interleaving. The socket server accepts a few more for tools (psql, migrations).
 */
export const EMBEDDED_POOL_SIZE = 1;
const MAX_CONNECTIONS = 4;

export interface EmbeddedPostgres extends RunningPglite {
  url: string;
  /** How this start created a new data directory: from the cluster template, or by initdb and why; unset when it opened one. */
  created?: { by: 'template' } | { by: 'initdb'; reason: string };
}

let memorySeed: Uint8Array | undefined;

/**
 * Tests: every later in-memory (`memory://`) database of this process starts as a copy of this data directory
 * tarball (one migrated once for the whole run) instead of an empty, freshly initialised one.
 */
export function seedMemoryDatabases(tarball: Uint8Array | undefined): void {
  memorySeed = tarball;
}

/**
 * Starts the embedded database. From the compiled service it runs on a worker thread (the query work then
 * leaves the event loop of the HTTP server); from TypeScript sources (tests) it runs in-process.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const memory = dataDir.startsWith('memory://');
  const dir = memory ? dataDir : resolve(dataDir, 'pgdata');
  const template = memory || existsSync(join(dir, 'PG_VERSION')) ? undefined : clusterTemplate();
  const seed = template && 'tarball' in template ? template.tarball : undefined;
  let created: EmbeddedPostgres['created'];
  if (template) created = 'tarball' in template ? { by: 'template' } : { by: 'initdb', reason: template.reason };
  const workerFile = join(__dirname, 'pglite.worker.js');
  let running: RunningPglite;
  if (existsSync(workerFile)) {
    if (template) {
      // PGlite never gives back the memory that creating a cluster took (initdb: 600-900 MB): the new cluster is
      // created by a worker of its own, which is then ended with everything it allocated, and opened afresh
      await (await startInWorker(workerFile, dir, seed)).stop();
    }
    running = await startInWorker(workerFile, dir);
  } else {
    // required only here: a service on PostgreSQL never loads PGlite
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { startPgliteServer } = require('./pglite-server') as typeof import('./pglite-server');
    running = await startPgliteServer(dir, MAX_CONNECTIONS, memory ? memorySeed : seed);
  }
  return { ...running, url: `postgres://postgres@127.0.0.1:${running.port}/postgres?sslmode=disable`, created };
}

function startInWorker(file: string, dataDir: string, seed?: Uint8Array): Promise<RunningPglite> {
  const worker = new Worker(file, { workerData: { dataDir, maxConnections: MAX_CONNECTIONS, seed } });
  return new Promise((resolveStart, rejectStart) => {
    worker.once('error', rejectStart);
    worker.on('message', (msg: { type: string; port?: number; message?: string }) => {
      if (msg.type === 'error') rejectStart(new Error(`embedded PostgreSQL failed to start: ${msg.message}`));
      if (msg.type === 'ready')
        resolveStart({
          port: msg.port!,
          stop: () =>
            new Promise<void>((done) => {
              worker.once('message', () => worker.terminate().then(() => done()));
              worker.postMessage({ type: 'stop' });
            }),
        });
    });
  });
}
