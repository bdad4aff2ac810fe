import { INestApplication } from '@nestjs/common';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { AppConfig } from '../config/config';
import { Lifecycle } from './lifecycle.service';

/** Node checks header and request timeouts on this period (its default, 30 s, would add up to 30 s to each). */
const TIMEOUT_CHECK_INTERVAL_MS = 1000;

/**
 * Timeouts suited to an internal API behind a load balancer: slow or stalled clients are answered 408 and
 * disconnected after HTTP_HEADERS_TIMEOUT_SECONDS (headers) or HTTP_REQUEST_TIMEOUT_SECONDS (the whole
 * request); idle keep-alive connections live HTTP_KEEP_ALIVE_TIMEOUT_SECONDS, longer than a load balancer's
 * usual 60 s, so the balancer always closes first. Call before `listen` (the check period is read then).
 */
export function applyServerTimeouts(server: Server, config: AppConfig): void {
  server.requestTimeout = config.httpRequestTimeoutSeconds * 1000;
  server.headersTimeout = config.httpHeadersTimeoutSeconds * 1000;
  server.keepAliveTimeout = config.httpKeepAliveTimeoutSeconds * 1000;
  // the socket may stay open a little longer than keepAliveTimeout for a request already being received
  (server as Server & { keepAliveTimeoutBuffer?: number }).keepAliveTimeoutBuffer = 1000;
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = TIMEOUT_CHECK_INTERVAL_MS;
}

const log = (level: number, msg: string, extra: Record<string, unknown> = {}) =>
  process.stdout.write(JSON.stringify({ level, time: Date.now(), context: 'Shutdown', ...extra, msg }) + '\n');

/**
 * SIGTERM/SIGINT, in this order:
 * 1. readiness answers 503 at once; new connections are still accepted for SHUTDOWN_GRACE_SECONDS, so the
 *    load balancer takes the instance out of rotation without a single refused connection;
 * 2. the listener closes; idle keep-alive connections are closed; responses now carry `Connection: close`;
 * 3. every request already received finishes (its body is still read), for at most
 *    SHUTDOWN_DRAIN_TIMEOUT_SECONDS, after which the remaining connections are cut;
 * 4. queues, Redis and database pools close; exit 0.
 * Works on the node http.Server of any Nest adapter (`app.getHttpServer()`).
 */
export function installShutdown(app: INestApplication, config: AppConfig, extra: () => void = () => undefined): void {
  const server: Server = app.getHttpServer();
  let inFlight = 0;
  let closing = false;
  let onIdle: (() => void) | undefined;

  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    inFlight++;
    if (closing && !res.headersSent) res.setHeader('Connection', 'close');
    res.once('close', () => {
      inFlight--;
      if (!closing) return;
      // the connection this response used is idle now (or about to be): close it
      setImmediate(() => server.closeIdleConnections?.());
      if (inFlight === 0) onIdle?.();
    });
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    app.get(Lifecycle).startDraining();
    log(30, `${signal}: readiness 503; accepting for ${config.shutdownGraceSeconds} s more, then draining`);
    await sleep(config.shutdownGraceSeconds * 1000);

    closing = true;
    const atClose = inFlight;
    server.close();
    server.closeIdleConnections?.();
    const drained = await new Promise<boolean>((resolve) => {
      if (inFlight === 0) return resolve(true);
      const timer = setTimeout(() => resolve(false), config.shutdownDrainTimeoutSeconds * 1000);
      onIdle = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
    if (!drained) {
      log(40, `drain timeout: cutting ${inFlight} request(s) still running`, { cut: inFlight });
      server.closeAllConnections?.();
    } else {
      log(30, 'every request received was answered', { in_flight_at_close: atClose, drain_ms: Date.now() - started });
    }

    extra();
    const hardStop = setTimeout(() => {
      log(50, 'closing queues and pools took more than 15 s: exiting');
      process.exit(1);
    }, 15_000);
    hardStop.unref();
    await app.close();
    log(30, 'stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
