import Redis from 'ioredis';
import { withTimeout } from '../common/deadline';

/** How long one Redis command on a request path may take before it fails (a frozen Redis never answers). */
export const REDIS_COMMAND_TIMEOUT_MS = 500;

/**
 * A Redis client that fails fast instead of queueing commands while Redis is unreachable (ioredis would
 * otherwise hold them forever), after a PING proved Redis answers at start. Every command fails after
 * `commandTimeoutMs` (REDIS_COMMAND_TIMEOUT_MS unless a test asks for more) when Redis does not answer.
 *
 * A connection that closes before it is ready (refused, dropped by the server, or slower than the connect
 * timeout on a busy machine) and a PING that goes unanswered are retried until `timeoutMs` has passed; only then
 * does the start fail, naming the last error.
 */
export async function connectRedis(
  url: string,
  keyPrefix: string,
  timeoutMs = 10_000,
  commandTimeoutMs = REDIS_COMMAND_TIMEOUT_MS,
): Promise<Redis> {
  const client = new Redis(url, {
    keyPrefix: `${keyPrefix}:`,
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
  let lastError: Error | undefined;
  client.on('error', (err: Error) => {
    lastError = err; // reported by the commands that fail, and by a start that gives up
  });
  const attempt = { stopped: false };
  try {
    await withTimeout(
      untilPong(client, attempt, (err) => (lastError = err)),
      timeoutMs,
      `no PONG within ${timeoutMs} ms`,
    );
  } catch (err) {
    attempt.stopped = true;
    client.disconnect();
    const cause = lastError ? `${(err as Error).message} (last error: ${lastError.message})` : (err as Error).message;
    throw new Error(`cannot reach Redis at ${url.replace(/\/\/[^@]*@/, '//***@')}: ${cause}`);
  }
  return client;
}

/** Waits until `client` is ready, then PINGs until Redis answers PONG, retrying every 100 ms while not stopped. */
async function untilPong(client: Redis, attempt: { stopped: boolean }, failed: (err: Error) => void): Promise<void> {
  // a connection closed before it is ready rejects connect(); the client's retryStrategy is already reconnecting
  // (the client's 'error' event has reported why, when it knew: ECONNREFUSED, a timeout)
  await client.connect().catch(() => new Promise<void>((resolve) => client.once('ready', () => resolve())));
  while (!attempt.stopped) {
    try {
      if ((await client.ping()) === 'PONG') return;
    } catch (err) {
      failed(err as Error);
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
