import Redis from 'ioredis';
import { withTimeout } from '../common/deadline';

/**
 * How long one Redis command on a request path may take before it fails (a frozen Redis never answers). The request
 * paths bound their commands with `withTimeout`, which lets an answer that arrived during a stalled event loop win.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 500;
/**
 * The client's own command timeout, behind the request paths' deadlines: it rejects the commands a frozen Redis
 * never answers, so they do not pile up in the client.
 */
export const REDIS_COMMAND_BACKSTOP_MS = 5000;

/**
 * A Redis client that fails fast instead of queueing commands while Redis is unreachable (ioredis would
 * otherwise hold them forever), after a PING proved Redis answers at start. Every command fails after
 * `commandTimeoutMs` (REDIS_COMMAND_BACKSTOP_MS unless a test asks otherwise) when Redis does not answer.
 *
 * A connection that closes before it is ready (refused, dropped by the server, or slower than the connect
 * timeout on a busy machine) and a PING that goes unanswered are retried until `timeoutMs` has passed; only then
 * does the start fail, naming the last error. Keys are prefixed with `keyPrefix:` (none when undefined).
 */
export async function connectRedis(
  url: string,
  keyPrefix: string | undefined,
  timeoutMs = 10_000,
  commandTimeoutMs = REDIS_COMMAND_BACKSTOP_MS,
): Promise<Redis> {
  const client = new Redis(url, {
    keyPrefix: keyPrefix === undefined ? undefined : `${keyPrefix}:`,
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: Math.min(timeoutMs, 2000),
    commandTimeout: commandTimeoutMs,
    retryStrategy: (times) => Math.min(times * 100, 1000),
    // how long a closing connection may take before it is destroyed; ioredis arms this timer even for a
    // connection that has already closed (a failed ready check), where its default of 2 s only delays exit
    disconnectTimeout: 200,
  });
  const start: StartAttempt = { stopped: false };
  // the cause the client reports (ECONNREFUSED, a timeout); also what later failed commands report
  client.on('error', (err: Error) => (start.lastError = err));
  try {
    await withTimeout(untilPong(client, start), timeoutMs, `no PONG within ${timeoutMs} ms`);
  } catch (err) {
    start.stopped = true;
    client.disconnect();
    const cause = start.lastError ? `${(err as Error).message} (last error: ${start.lastError.message})` : (err as Error).message;
    throw new Error(`cannot reach Redis at ${url.replace(/\/\/[^@]*@/, '//***@')}: ${cause}`);
  }
  return client;
}

interface StartAttempt {
  /** set when the start's deadline has passed */
  stopped: boolean;
  lastError?: Error;
}

/** Waits until `client` is ready, then PINGs until Redis answers PONG, retrying every 100 ms until stopped. */
async function untilPong(client: Redis, start: StartAttempt): Promise<void> {
  // a connection closed before it is ready rejects connect(); the client's retryStrategy is already reconnecting
  await client.connect().catch(() => new Promise<void>((resolve) => client.once('ready', () => resolve())));
  while (!start.stopped) {
    try {
      if ((await client.ping()) === 'PONG') return;
    } catch (err) {
      start.lastError = err as Error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100).unref());
  }
}

/** PING with a deadline: true when Redis answers PONG in time. */
export function pingWithin(client: Redis, timeoutMs: number): Promise<boolean> {
  return withTimeout(client.ping(), timeoutMs).then(
    (answer) => answer === 'PONG',
    () => false,
  );
}

/**
 * `pingWithin` shared by concurrent callers: a caller that arrives while a PING is outstanding waits for that
 * PING's answer instead of sending another, so a burst of health checks costs Redis one round trip. Every answer
 * still comes from a PING that was outstanding when its caller asked; none is remembered after it settles.
 */
export function sharedPing(client: Redis): (timeoutMs: number) => Promise<boolean> {
  let inFlight: Promise<boolean> | undefined;
  return (timeoutMs) => {
    if (inFlight) return inFlight;
    const ping = pingWithin(client, timeoutMs).finally(() => {
      inFlight = undefined;
    });
    inFlight = ping;
    return ping;
  };
}
