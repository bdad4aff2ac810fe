import { AddressInfo, createServer, Server, Socket } from 'node:net';
import Redis from 'ioredis';
import { deleteRedisKeys } from '../../test/helpers/redis-cleanup';
import { connectRedis } from './redis';
import { InProcessSharedState, RedisSharedState, SharedState } from './shared-state.service';

const implementations: [string, () => Promise<{ state: SharedState; close: () => Promise<void> }>][] = [
  ['in-process', async () => ({ state: new InProcessSharedState(), close: async () => undefined })],
];
if (process.env.REDIS_URL) {
  implementations.push([
    'redis',
    async () => {
      const prefix = `gia_spec_${process.pid}_${Date.now()}`;
      // these tests check counting, not latency: a loaded machine may stall a burst of 200 commands past the
      // service's 500 ms command timeout (the fault suite checks that timeout against a frozen Redis)
      const client = await connectRedis(process.env.REDIS_URL!, prefix, 10_000, 10_000);
      const close = async () => {
        await client.quit();
        await deleteRedisKeys(process.env.REDIS_URL!, prefix);
      };
      return { state: new RedisSharedState(client, 10_000), close };
    },
  ]);
}

describe.each(implementations)('SharedState (%s)', (_name, make) => {
  let state: SharedState;
  let close: () => Promise<void>;
  beforeAll(async () => ({ state, close } = await make()));
  afterAll(() => close());

  it('counts up and down, deleting the key below zero', async () => {
    expect(await state.incr('c', 600)).toBe(1);
    expect(await state.incr('c', 600)).toBe(2);
    expect(await state.decr('c')).toBe(1);
    expect(await state.decr('c')).toBe(0);
    expect(await state.decr('c')).toBe(-1);
    expect(await state.get('c')).toBeNull();
  });

  it('stays exact under 200 concurrent increments and decrements', async () => {
    await Promise.all(Array.from({ length: 200 }, () => state.incr('p', 600)));
    await Promise.all(Array.from({ length: 200 }, () => state.decr('p')));
    expect(await state.get('p')).toBe('0');
  });

  it('a windowed count expires a TTL after its first increment, not after its last', async () => {
    expect(await state.incrInWindow('w', 2)).toBe(1);
    await new Promise((r) => setTimeout(r, 1200));
    expect(await state.incrInWindow('w', 2)).toBe(2);
    await new Promise((r) => setTimeout(r, 1000));
    // a TTL renewed by the second increment would still hold 2 here
    expect(await state.incrInWindow('w', 2)).toBe(1);
  });

  it('one-shot values are read once and expire', async () => {
    await state.set('m', 'hello', 300);
    expect(await state.getDel('m')).toBe('hello');
    expect(await state.getDel('m')).toBeNull();
    await state.set('e', 'x', 1);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await state.get('e')).toBeNull();
  });
});

describe('RedisSharedState against a Redis that does not answer', () => {
  let server: Server;
  let client: Redis;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    // accepts connections and never answers, as a frozen Redis
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new Redis({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, enableReadyCheck: false });
    // the connection is up; the client's set-up commands go unanswered, so connect() would never resolve
    await new Promise((resolve) => client.once('connect', resolve));
  });
  afterAll(async () => {
    client.disconnect();
    sockets.forEach((s) => s.destroy());
    await new Promise((resolve) => server.close(resolve));
  });

  it('fails a command at its bound, then fails the next ones at once for the back-off time', async () => {
    const state = new RedisSharedState(client, 150);
    const started = Date.now();
    await expect(state.incrInWindow('k', 60)).rejects.toThrow('Redis did not answer within 150 ms');
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
    expect(Date.now() - started).toBeLessThan(1000);
    const again = Date.now();
    await expect(state.get('k')).rejects.toThrow('Redis unavailable (a recent command failed)');
    expect(Date.now() - again).toBeLessThan(50);
  });
});
