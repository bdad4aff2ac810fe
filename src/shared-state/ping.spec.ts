import { AddressInfo, createServer, Server, Socket } from 'node:net';
import Redis from 'ioredis';
import { connectRedis, pingWithin, sharedPing } from './redis';

/**
 * A Redis stand-in on a loopback port that counts the PINGs it receives and answers after `delayMs` (when silent,
 * nothing from the first PING on). It closes its first `dropFirst` connections as soon as they arrive.
 */
async function pingServer(
  delayMs: number,
  silent = false,
  dropFirst = 0,
): Promise<{ server: Server; port: number; pings: () => number; connections: () => number; close: () => Promise<void> }> {
  let pings = 0;
  let connections = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    if (++connections <= dropFirst) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let hung = false;
    socket.on('data', (data) => {
      // one RESP array per command; the client's connection set-up (CLIENT SETINFO) is answered OK
      const commands = data
        .toString()
        .split(/\*\d+\r\n/)
        .filter(Boolean);
      const replies = commands.map((command) => (/^\$4\r\nping\r\n/i.test(command) ? '+PONG\r\n' : '+OK\r\n'));
      pings += replies.filter((r) => r === '+PONG\r\n').length;
      if (silent && replies.includes('+PONG\r\n')) hung = true;
      if (!hung) setTimeout(() => socket.write(replies.join('')), delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      sockets.forEach((s) => s.destroy());
      server.close(() => resolve());
    });
  return { server, port: (server.address() as AddressInfo).port, pings: () => pings, connections: () => connections, close };
}

// the stand-in server and the client of the running test, closed after it
let server: Awaited<ReturnType<typeof pingServer>> | undefined;
let client: Redis | undefined;
afterEach(async () => {
  client?.disconnect();
  await server?.close();
  server = client = undefined;
});

describe('the health check PING', () => {
  async function connect(delayMs: number, silent = false) {
    const s = (server = await pingServer(delayMs, silent));
    const redis = (client = new Redis({
      host: '127.0.0.1',
      port: s.port,
      lazyConnect: true,
      enableReadyCheck: false,
      maxRetriesPerRequest: 0,
    }));
    await redis.connect();
    return { pings: s.pings, redis };
  }

  it('is sent once for callers that ask while it is outstanding, and again once it has settled', async () => {
    const s = await connect(30);
    const ping = sharedPing(s.redis);
    const answers = await Promise.all(Array.from({ length: 20 }, () => ping(1000)));
    expect(answers).toEqual(Array(20).fill(true));
    expect(s.pings()).toBe(1);
    expect(await ping(1000)).toBe(true);
    expect(s.pings()).toBe(2);
  });

  it('answers false at the deadline when Redis is silent, and the next caller sends a fresh PING', async () => {
    const s = await connect(0, true);
    const ping = sharedPing(s.redis);
    const started = Date.now();
    expect(await Promise.all([ping(100), ping(100)])).toEqual([false, false]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await ping(50)).toBe(false);
    expect(s.pings()).toBe(2);
  });

  it('pingWithin answers true on PONG', async () => {
    const { redis } = await connect(0);
    expect(await pingWithin(redis, 1000)).toBe(true);
  });
});

describe('connecting to Redis at start', () => {
  it('retries a connection the server drops before it is ready, then answers PING', async () => {
    server = await pingServer(0, false, 2);
    client = await connectRedis(`redis://127.0.0.1:${server.port}`, 'test', 5000);
    expect(server.connections()).toBe(3);
    expect(await client.ping()).toBe('PONG');
  });

  it('gives up at its deadline with the last error, and never prints the password', async () => {
    // a port that was free a moment ago: every connection is refused
    const probe = await pingServer(0);
    const port = probe.port;
    await probe.close();
    const started = Date.now();
    const failure = await connectRedis(`redis://someone:hunter2@127.0.0.1:${port}`, 'test', 700).then(
      () => undefined,
      (err: Error) => err.message,
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect(failure).toMatch(
      new RegExp(`^cannot reach Redis at redis://\\*\\*\\*@127\\.0\\.0\\.1:${port}: no PONG within 700 ms \\(last error: .*ECONNREFUSED`),
    );
    expect(failure).not.toContain('hunter2');
  });
});
