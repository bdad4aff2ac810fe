import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { createServer } from 'node:http';
import { announceListening, prepareStart, startFailed } from './bootstrap/startup';
import { Lifecycle } from './instance/lifecycle.service';
import { metricsRegistry } from './instance/metrics';

let started: INestApplication | undefined;

async function main(): Promise<void> {
  const config = await prepareStart();
  // loaded after the checks, so that a start that cannot succeed says so before the whole application loads
  const { createApp } = await import('./app.factory.js');
  const app = (started = await createApp(config, { bufferLogs: true }));
  await app.listen(config.port, config.host);
  announceListening(app, config);
  const metricsServer = config.metricsPort ? startMetricsServer(config.metricsPort, config.host) : undefined;
  installShutdown(app, () => metricsServer?.close());
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

/** SIGTERM/SIGINT: readiness turns 503, in-flight requests finish, queues and pools close, exit 0. */
function installShutdown(app: INestApplication, extra: () => void): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.get(Lifecycle).startDraining();
    process.stdout.write(JSON.stringify({ level: 30, msg: `${signal}: draining`, time: Date.now() }) + '\n');
    const grace = 1000; // let load balancers see the 503 readiness before the listener closes
    await new Promise((r) => setTimeout(r, grace));
    extra();
    const timer = setTimeout(() => process.exit(1), 30_000);
    timer.unref();
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

void main().catch((err: Error) => startFailed(err, started));
