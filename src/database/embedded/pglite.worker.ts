/**
 * Worker thread hosting the embedded PostgreSQL (PGlite) behind a PostgreSQL wire-protocol socket on loopback.
 * The main thread talks to it with the normal `pg` driver, exactly as to a real server.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startPgliteServer } from './pglite-server';

const { dataDir, maxConnections, seed } = workerData as { dataDir: string; maxConnections: number; seed?: Uint8Array };

startPgliteServer(dataDir, maxConnections, seed)
  .then((server) => {
    parentPort!.postMessage({ type: 'ready', port: server.port });
    parentPort!.on('message', (msg: { type: string }) => {
      if (msg.type === 'stop') {
        server.stop().then(() => parentPort!.postMessage({ type: 'stopped' }));
      }
    });
  })
  .catch((err: Error) => parentPort!.postMessage({ type: 'error', message: err.stack ?? err.message }));
