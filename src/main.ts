import 'reflect-metadata';
import { createServer } from 'node:http';
import { createApp } from './app.factory';
import { ConfigError, loadConfig } from './config/config';
import { metricsRegistry } from './instance/metrics';
import { applyServerTimeouts, installShutdown } from './instance/shutdown';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const app = await createApp(config, { bufferLogs: true });
  applyServerTimeouts(app.getHttpServer(), config);
  await app.listen(config.port, config.host);
  process.stdout.write(JSON.stringify({ level: 30, msg: `listening on http://${config.host}:${config.port}`, time: Date.now() }) + '\n');
  if (config.dbKeyBaseGenerated)
    process.stdout.write(JSON.stringify({ level: 40, msg: 'DB_KEY_BASE is unset: a random key is used; LFS tokens and OTP secrets will not survive a restart', time: Date.now() }) + '\n');
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

void main().catch((err: Error) => {
  process.stderr.write(`failed to start: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
