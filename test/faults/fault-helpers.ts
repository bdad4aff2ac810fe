/**
 * Shared pieces of the fault suite: a private PostgreSQL (and Redis) with the built service in front, a project
 * to push to, shell-authenticated requests with their latency, and bounded load loops.
 */
import { randomBytes } from 'node:crypto';
import { shellJwt } from '../helpers/jwt';
import { PgServer, RedisServer, ServiceProcess, skipNotice, startPostgres, startRedis, startService } from '../support/servers';

export const Z = '0000000000000000000000000000000000000000';
export const B = '570e7b2abdd848b95f2f578043fc23bd6f6fd24d';

/** `describe`, or `describe.skip` with a printed notice where PostgreSQL, Redis or the build are missing. */
export function describeFaults(name: string, fn: () => void): void {
  const notice = skipNotice('fault suite');
  if (notice) {
    // eslint-disable-next-line no-console
    console.warn(notice);
    describe.skip(name, fn);
  } else describe(name, fn);
}

export interface Stack {
  pg: PgServer;
  redis?: RedisServer;
  service: ServiceProcess;
  rootToken: string;
  projectId: number;
  userId: number;
}

/** PostgreSQL (+ Redis when `withRedis`) and the service on them, with one project owned by root. */
export async function startStack(opts: { withRedis?: boolean; env?: Record<string, string> } = {}): Promise<Stack> {
  const pg = await startPostgres();
  await pg.psql('CREATE DATABASE gia');
  const redis = opts.withRedis ? await startRedis() : undefined;
  const rootToken = `glpat-${randomBytes(10).toString('hex')}`;
  const service = await startService({
    DATABASE_URL: pg.url('gia'),
    ...(redis ? { REDIS_URL: redis.url } : {}),
    ROOT_ACCESS_TOKEN: rootToken,
    LOG_LEVEL: 'warn',
    ...opts.env,
  });
  const res = await fetch(`${service.url}/api/v4/projects`, {
    method: 'POST',
    headers: { 'PRIVATE-TOKEN': rootToken, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'faulty', path: 'faulty' }),
  });
  const project = (await res.json()) as { id: number; owner?: { id: number }; creator_id?: number };
  if (res.status !== 201) throw new Error(`project not created: ${res.status} ${JSON.stringify(project)}`);
  const userId = Number(await pg.psql(`SELECT id FROM users WHERE username = 'root'`, 'gia'));
  return { pg, redis, service, rootToken, projectId: project.id, userId };
}

export interface Timed {
  label: string;
  status: number; // 0 = no answer (network error or the 10 s client timeout)
  ms: number;
  body: string;
  headers: Headers | null;
  error?: string;
}

/** A shell-authenticated request to /api/v4/internal/<path>, timed; never throws. */
export async function internal(service: ServiceProcess, method: 'GET' | 'POST', path: string, body?: object, label = path): Promise<Timed> {
  const started = Date.now();
  try {
    const res = await fetch(`${service.url}/api/v4/internal/${path}`, {
      method,
      headers: { 'Gitlab-Shell-Api-Request': shellJwt({}, service.shellSecret), ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    return { label, status: res.status, ms: Date.now() - started, body: text, headers: res.headers };
  } catch (err) {
    return { label, status: 0, ms: Date.now() - started, body: '', headers: null, error: (err as Error).message };
  }
}

/** Runs `workers` loops of `step` until `stop()` is true; returns every result. Bounded: one request per loop at a time. */
export async function load<T>(workers: number, step: (n: number) => Promise<T>, stop: () => boolean): Promise<T[]> {
  const results: T[] = [];
  let n = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (!stop()) results.push(await step(n++));
    }),
  );
  return results;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await sleep(250);
  }
}
