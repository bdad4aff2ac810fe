import Redis from 'ioredis';
import { withTimeout } from '../common/deadline';

/** How long one Redis command on a request path may take before it fails (a frozen Redis never answers). */
export const REDIS_COMMAND_TIMEOUT_MS = 500;

/**
 * A Redis client that fails fast instead of queueing commands while Redis is unreachable (ioredis would
 * otherwise hold them forever), after a PING with a timeout proved Redis answers at start. Every command
 * fails after REDIS_COMMAND_TIMEOUT_MS when Redis does not answer.
 */
export async function connectRedis(url: string, keyPrefix: string, timeoutMs = 10_000): Promise<Redis> {
  const client = new Redis(url, {
    keyPrefix: `${keyPrefix}:`,
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: Math.min(timeoutMs, 2000),
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    retryStrategy: (times) => Math.min(times * 100, 1000),
  });
  client.on('error', () => undefined); // reported by the commands that fail
  try {
    await withTimeout(
      client.connect().then(() => client.ping()),
      timeoutMs,
      `Redis did not answer PING within ${timeoutMs} ms`,
    );
  } catch (err) {
    client.disconnect();
    throw new Error(`cannot reach Redis at ${url.replace(/\/\/[^@]*@/, '//***@')}: ${(err as Error).message}`);
  }
  return client;
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
