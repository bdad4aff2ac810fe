import { heapServing, tuneHeap } from './bootstrap/heap';
tuneHeap();
import 'reflect-metadata';
import { createServer } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { announceListening, prepareStart, startFailed } from './bootstrap/startup';
import { metricsRegistry } from './instance/metrics';
import { applyServerTimeouts, installShutdown } from './instance/shutdown';

let started: INestApplication | undefined;

async function main(): Promise<void> {
  const config = await prepareStart();
  // loaded after the checks, so that a start that cannot succeed says so before the whole application loads
  const { createApp } = await import('./app.factory.js');
  const app = (started = await createApp(config, { bufferLogs: true }));
  applyServerTimeouts(app.getHttpServer(), config);
  await app.listen(config.port, config.host);
  heapServing();
  announceListening(app, config);
  const metricsServer = config.metricsPort ? startMetricsServer(config.metricsPort, config.host) : undefined;
  installShutdown(app, config, () => metricsServer?.close());
}

function startMetricsServer(port: number, host: string) {
  return createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/-/metrics') {
      void metricsRegistry.metrics().then((body) => {
        res.writeHead(200, { 'Content-Type': metricsRegistry.contentType });
        res.end(body);
      });
      return;
    }
    res.writeHead(404, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end('{"error":"404 Not Found"}');
  }).listen(port, host);
}

void main().catch((err: Error) => startFailed(err, started));
