import Redis from 'ioredis';

/**
 * Deletes every key of one test prefix (`<prefix>*`), with or without TTL, so a run leaves nothing behind in a
 * shared Redis. The prefix must be the test's own (letters, digits, `_`), never a pattern.
 */
export async function deleteRedisKeys(url: string, prefix: string): Promise<number> {
  if (!/^gia_(test|spec)_[A-Za-z0-9_]+$/.test(prefix)) throw new Error(`not a test key prefix: ${prefix}`);
  // a loaded machine sometimes drops a fresh connection before it is ready ("Connection is closed."): try again
  for (let attempt = 1; ; attempt++) {
    try {
      return await deleteOnce(url, prefix);
    } catch (err) {
      if (attempt >= 3) throw err;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

async function deleteOnce(url: string, prefix: string): Promise<number> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  let deleted = 0;
  try {
    await client.connect();
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
