/**
 * Worker thread hosting the embedded PostgreSQL (PGlite) behind a PostgreSQL wire-protocol socket on loopback.
 * The main thread talks to it with the normal `pg` driver, exactly as to a real server.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startPgliteServer } from './pglite-server';

const { dataDir, maxConnections } = workerData as { dataDir: string; maxConnections: number };

startPgliteServer(dataDir, maxConnections)
  .then((server) => {
    parentPort!.postMessage({ type: 'ready', port: server.port });
    parentPort!.on('message', (msg: { type: string }) => {
      if (msg.type === 'stop') {
        server.stop().then(() => parentPort!.postMessage({ type: 'stopped' }));
      }
    });
  })
  .catch((err: Error) => parentPort!.postMessage({ type: 'error', message: err.stack ?? err.message }));
