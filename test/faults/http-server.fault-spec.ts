/**
 * The HTTP server as a load balancer and slow clients see it: header and request timeouts, the keep-alive
 * timeout, and a SIGTERM under a bounded load (readiness 503 at once, connections still accepted during the
 * grace period, every request already received answered, including uploads still sending their body, exit 0).
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import { describeFaults, internal, sleep, Stack, startStack, Timed } from './fault-helpers';

const GRACE_S = 2;

/** Opens a raw connection, writes `data`, and resolves with what came back and when the server closed it. */
function rawExchange(url: string, data: string, capMs: number): Promise<{ closedAfterMs: number; response: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(Number(port), hostname, () => socket.write(data));
    let response = '';
    const cap = setTimeout(() => socket.destroy(), capMs);
    socket.on('data', (d) => (response += d.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(cap);
      resolve({ closedAfterMs: Date.now() - started, response });
    });
  });
}

/** A POST whose body is sent in two halves: the second when `release` resolves. */
function slowUpload(url: string, path: string, headers: Record<string, string>, body: string, release: Promise<void>): Promise<{ status: number; error?: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const req = request(
      { host: hostname, port: Number(port), path, method: 'POST', agent: false, headers: { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
      },
    );
    req.on('error', (err) => resolve({ status: 0, error: err.message }));
    const half = Math.floor(body.length / 2);
    req.write(body.slice(0, half));
    void release.then(() => req.end(body.slice(half)));
  });
}

function freshConnectionGet(url: string): Promise<{ status: number; error?: string }> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.on('error', (err) => resolve({ status: 0, error: (err as NodeJS.ErrnoException).code ?? err.message }));
    req.end();
  });
}

describeFaults('HTTP server: timeouts and SIGTERM drain (private PostgreSQL, the built service)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      env: { HTTP_HEADERS_TIMEOUT_SECONDS: '2', HTTP_REQUEST_TIMEOUT_SECONDS: '4', SHUTDOWN_GRACE_SECONDS: String(GRACE_S), SHUTDOWN_DRAIN_TIMEOUT_SECONDS: '20' },
    });
  });
  afterAll(async () => {
    await stack?.service.stop('SIGKILL');
  });

  it('a client that never finishes its headers is answered 408 and disconnected after the headers timeout', async () => {
    const r = await rawExchange(stack.service.url, 'GET /-/liveness HTTP/1.1\r\nHost: x\r\nX-Slow: ', 10_000);
    expect(r.response).toMatch(/^HTTP\/1\.1 408 /);
    expect(r.closedAfterMs).toBeGreaterThanOrEqual(1500);
    expect(r.closedAfterMs).toBeLessThan(4000);
  });

  it('a client that never finishes its body is answered 408 and disconnected after the request timeout', async () => {
    const r = await rawExchange(
      stack.service.url,
      'POST /api/v4/internal/pre_receive HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"gl_repository":',
      12_000,
    );
    expect(r.response).toMatch(/^HTTP\/1\.1 408 /);
    expect(r.closedAfterMs).toBeGreaterThanOrEqual(3500);
    expect(r.closedAfterMs).toBeLessThan(6500);
  });

  it('keep-alive connections are kept 65 s, above a load balancer’s 60 s idle timeout', async () => {
    const res = await fetch(`${stack.service.url}/-/liveness`);
    await res.text();
    expect(res.headers.get('keep-alive')).toBe('timeout=65');
  });

  it('SIGTERM under load: readiness 503 at once, accepting during the grace period, every request already received answered, exit 0', async () => {
    const { service } = stack;
    const headers = { 'Gitlab-Shell-Api-Request': '' };
    const { shellJwt } = await import('../helpers/jwt');
    headers['Gitlab-Shell-Api-Request'] = shellJwt({}, service.shellSecret);

    let sigtermAt = 0;
    const sent: Timed[] = [];
    const workers = Array.from({ length: 6 }, async () => {
      while (!sigtermAt) {
        // every request of this loop is sent before SIGTERM
        sent.push(await internal(service, 'GET', 'discover?username=root', undefined, 'discover'));
      }
    });
    let releaseUploads!: () => void;
    const released = new Promise<void>((r) => (releaseUploads = r));
    const body = JSON.stringify({ gl_repository: `project-${stack.projectId}`, padding: 'x'.repeat(64 * 1024) });
    const uploads = Array.from({ length: 3 }, () => slowUpload(service.url, '/api/v4/internal/pre_receive', headers, body, released));

    await sleep(1500);
    sigtermAt = Date.now();
    const exited = service.stop('SIGTERM');
    await sleep(200);
    const readiness = await freshConnectionGet(`${service.url}/-/readiness`);
    const duringGrace = await freshConnectionGet(`${service.url}/-/liveness`);
    await sleep(GRACE_S * 1000 + 500 - (Date.now() - sigtermAt));
    const afterGrace = await freshConnectionGet(`${service.url}/-/liveness`);
    // the uploads finish their bodies only now, after the listener closed
    releaseUploads();
    const uploadResults = await Promise.all(uploads);
    await Promise.all(workers);
    const code = await exited;

    expect(readiness.status).toBe(503);
    expect(duringGrace.status).toBe(200);
    expect(afterGrace.error).toBe('ECONNREFUSED');
    expect(sent.length).toBeGreaterThan(20);
    expect(sent.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.error ?? r.body}`)).toEqual([]);
    expect(uploadResults).toEqual([{ status: 200 }, { status: 200 }, { status: 200 }]);
    expect(code).toBe(0);
    expect(service.logs()).toContain('every request received was answered');
  });
});
