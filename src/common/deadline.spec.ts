import { AddressInfo, createServer, Socket } from 'node:net';
import { withTimeout } from './deadline';

describe('withTimeout', () => {
  it('answers what the promise answers in time', async () => {
    await expect(withTimeout(Promise.resolve(7), 1000)).resolves.toBe(7);
    await expect(withTimeout(Promise.reject(new Error('no')), 1000)).rejects.toThrow('no');
  });

  it('rejects with the message at the deadline, and ignores a late rejection', async () => {
    let lateReject!: (err: Error) => void;
    const late = new Promise<never>((_, reject) => (lateReject = reject));
    await expect(withTimeout(late, 20, 'no answer within 20 ms')).rejects.toThrow('no answer within 20 ms');
    lateReject(new Error('too late'));
    await expect(withTimeout(new Promise(() => undefined), 10)).rejects.toThrow('timed out after 10 ms');
  });

  it('an answer that arrived while the process was busy past the deadline still wins', async () => {
    // a socket answer already in the kernel's buffer when a long synchronous stretch (a full GC, a busy CPU) ends
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
    const client = new Socket();
    await new Promise<void>((resolve) => client.connect((server.address() as AddressInfo).port, '127.0.0.1', resolve));
    const serverSide = await accepted;
    try {
      const reply = new Promise<string>((resolve) => client.once('data', (chunk) => resolve(String(chunk))));
      const bounded = withTimeout(reply, 20);
      serverSide.write('PONG');
      const busyUntil = Date.now() + 100;
      while (Date.now() < busyUntil); // past the deadline, without giving the event loop a turn
      await expect(bounded).resolves.toBe('PONG');
    } finally {
      client.destroy();
      serverSide.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
