import Redis from 'ioredis';

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
  const timer = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`Redis did not answer PING within ${timeoutMs} ms`)), timeoutMs).unref(),
  );
  try {
    await Promise.race([client.connect().then(() => client.ping()), timer]);
  } catch (err) {
    client.disconnect();
    throw new Error(`cannot reach Redis at ${url.replace(/\/\/[^@]*@/, '//***@')}: ${(err as Error).message}`);
  }
  return client;
}

/** PING with a deadline: true when Redis answers PONG in time. */
export async function pingWithin(client: Redis, timeoutMs: number): Promise<boolean> {
  const timer = new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
  try {
    return await Promise.race([client.ping().then((r) => r === 'PONG'), timer]);
  } catch {
    return false;
  }
}
