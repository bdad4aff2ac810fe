import { connectRedis } from '../../src/shared-state/redis';

/**
 * Deletes every key of one test prefix (`<prefix>*`), with or without TTL, so a run leaves nothing behind in a
 * shared Redis. The prefix must be the test's own (letters, digits, `_`), never a pattern. The client connects as
 * the service does (a connection a loaded machine drops before it is ready is tried again), without a key prefix
 * (SCAN returns whole keys) and with commands that may take 10 s.
 */
export async function deleteRedisKeys(url: string, prefix: string): Promise<number> {
  if (!/^gia_(test|spec)_[A-Za-z0-9_]+$/.test(prefix)) throw new Error(`not a test key prefix: ${prefix}`);
  const client = await connectRedis(url, undefined, 10_000, 10_000);
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await client.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
  return deleted;
}
