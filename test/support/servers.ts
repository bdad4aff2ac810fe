/**
 * Private servers for the system suites (test/faults, test/scale, test/ssh): a PostgreSQL cluster (optionally a
 * streaming replica of another), a Redis and the built service (dist/main.js), each on a free loopback port. They
 * never touch the shared 5432/6379 servers, nor DATABASE_URL/REDIS_URL of the environment. Everything started here
 * is stopped by PID and its directory removed on destroy(), in an afterAll registered by this module and, as a last
 * resort, when the test process exits.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, appendFileSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '..', '..');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Binaries

let pgBinDirCache: string | null | undefined;

/** The PostgreSQL server binaries' directory (`pg_config --bindir`), or null when PostgreSQL is not installed. */
export function pgBinDir(): string | null {
  if (pgBinDirCache !== undefined) return pgBinDirCache;
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    pgBinDirCache = ['initdb', 'pg_ctl', 'postgres', 'psql', 'pg_basebackup'].every((b) => existsSync(join(dir, b))) ? dir : null;
  } catch {
    pgBinDirCache = null;
  }
  return pgBinDirCache;
}

function onPath(binary: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Why `suite` cannot run here (a missing binary or build), or undefined when it can. Print the notice and skip:
 * `const notice = skipNotice('fault suite'); if (notice) console.warn(notice); (notice ? describe.skip : describe)(…)`.
 */
export function skipNotice(suite: string): string | undefined {
  const missing: string[] = [];
  if (!pgBinDir()) missing.push('PostgreSQL server binaries (pg_config --bindir with initdb, pg_ctl, postgres, psql, pg_basebackup)');
  if (isRoot && !onPath('runuser')) missing.push('runuser (to run PostgreSQL as the postgres user)');
  if (isRoot && !postgresUser()) missing.push('a postgres system user');
  if (!onPath('redis-server')) missing.push('redis-server');
  if (!existsSync(join(REPO_ROOT, 'dist', 'main.js'))) missing.push('dist/main.js (run npm run build)');
  if (missing.length === 0) return undefined;
  return `[${suite}] skipped: missing ${missing.join(', ')}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Process bookkeeping: everything started here is killed and removed at the end, whatever happens.

interface Resource {
  destroy(): Promise<void>;
  /** Synchronous last resort on process exit: SIGKILL by PID, remove directories. */
  killSync(): void;
}

const resources = new Set<Resource>();
let hooksInstalled = false;

function track(resource: Resource): void {
  resources.add(resource);
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.once('exit', () => {
    for (const r of resources) {
      try {
        r.killSync();
      } catch {
        // best effort
      }
    }
  });
}

/** Stops everything this module started (also registered as an afterAll when loaded inside jest). */
export async function destroyAll(): Promise<void> {
  for (const r of [...resources].reverse()) await r.destroy().catch(() => undefined);
}

declare const afterAll: ((fn: () => Promise<void>, timeout?: number) => void) | undefined;
if (typeof afterAll === 'function') afterAll(() => destroyAll(), 60_000);

function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function killQuietly(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean> | boolean, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], opts: { asPostgres?: boolean; input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  const [file, argv] = opts.asPostgres && isRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  return new Promise((resolveRun, reject) => {
    const child = spawn(file, argv, { stdio: ['pipe', 'pipe', 'pipe'], cwd: tmpdir() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

async function runOk(
  cmd: string,
  args: string[],
  opts: { asPostgres?: boolean; input?: string; timeoutMs?: number } = {},
): Promise<string> {
  const result = await run(cmd, args, opts);
  if (result.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${result.code}: ${result.stderr || result.stdout}`);
  return result.stdout;
}

// ---------------------------------------------------------------------------------------------------------------
// PostgreSQL

export interface PgServer {
  port: number;
  dataDir: string;
  /** postgres://postgres@127.0.0.1:PORT/DB (db defaults to postgres). */
  url(db?: string): string;
  /** pg_ctl start (waits until it accepts connections). */
  start(): Promise<void>;
  /** pg_ctl stop: fast (default) disconnects clients and shuts down cleanly; immediate aborts like a crash. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** psql -At: the output of `sql`, rows on lines, columns separated by |. Throws on an SQL error. */
  psql(sql: string, db?: string): Promise<string>;
  /** Stops the server (immediate) and removes its directory. */
  destroy(): Promise<void>;
}

function postgresUser(): { uid: number; gid: number } | null {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : null;
  } catch {
    return null;
  }
}

function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A private PostgreSQL cluster on a free port (trust authentication, superuser postgres, wal_level=replica), or a
 * streaming replica of `replicaOf` (pg_basebackup -R). `settings` are appended to postgresql.conf. Started.
 */
export async function startPostgres(opts: { replicaOf?: PgServer; settings?: Record<string, string> } = {}): Promise<PgServer> {
  const bin = pgBinDir();
  if (!bin) throw new Error('PostgreSQL binaries not found (pg_config --bindir)');
  const root = mkdtempSync(join(tmpdir(), 'gia-pg-'));
  if (isRoot) {
    const pgUser = postgresUser();
    if (!pgUser) throw new Error('no postgres system user to run PostgreSQL as');
    chownSync(root, pgUser.uid, pgUser.gid);
  }
  const dataDir = join(root, 'data');
  const port = await freePort();
  const asPostgres = true;

  let pid: number | undefined;
  const server: PgServer & Resource = {
    port,
    dataDir,
    url: (db = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${db}`,
    async start() {
      await runOk(join(bin, 'pg_ctl'), ['-D', dataDir, '-l', join(root, 'postgres.log'), '-w', '-t', '60', 'start'], {
        asPostgres,
        timeoutMs: 90_000,
      });
      pid = postmasterPid(dataDir);
    },
    async stop(mode = 'fast') {
      pid = postmasterPid(dataDir) ?? pid;
      if (!alive(pid)) return;
      const result = await run(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', mode, '-w', '-t', '60', 'stop'], {
        asPostgres,
        timeoutMs: 90_000,
      });
      if (result.code !== 0 && alive(pid)) {
        killQuietly(pid, 'SIGQUIT');
        await waitFor('postgres to exit', 10_000, () => !alive(pid)).catch(() => killQuietly(pid, 'SIGKILL'));
      }
    },
    async psql(sql, db = 'postgres') {
      const out = await runOk(
        join(bin, 'psql'),
        ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', db, '-f', '-'],
        {
          input: sql,
        },
      );
      return out.replace(/\n$/, '');
    },
    async destroy() {
      resources.delete(server);
      await server.stop('immediate').catch(() => undefined);
      server.killSync();
    },
    killSync() {
      pid = postmasterPid(dataDir) ?? pid;
      if (alive(pid)) killQuietly(pid, 'SIGKILL');
      rmSync(root, { recursive: true, force: true });
    },
  };
  track(server);

  const settings: Record<string, string> = {
    port: String(port),
    listen_addresses: "'127.0.0.1'",
    unix_socket_directories: `'${root}'`,
    wal_level: 'replica',
    max_wal_senders: '10',
    max_replication_slots: '10',
    hot_standby: 'on',
    max_connections: '100',
    shared_buffers: '32MB',
    fsync: 'off',
    full_page_writes: 'off',
    logging_collector: 'off',
    ...opts.settings,
  };
  if (opts.replicaOf) {
    await runOk(
      join(bin, 'pg_basebackup'),
      ['-h', '127.0.0.1', '-p', String(opts.replicaOf.port), '-U', 'postgres', '-D', dataDir, '-R', '-X', 'stream', '-c', 'fast'],
      { asPostgres, timeoutMs: 120_000 },
    );
  } else {
    await runOk(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], {
      asPostgres,
      timeoutMs: 120_000,
    });
    writeAsPostgres(
      join(dataDir, 'pg_hba.conf'),
      'local all all trust\nhost all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n',
    );
  }
  // later lines win, so the replica's copy of the primary's settings is overridden here
  appendFileSync(
    join(dataDir, 'postgresql.conf'),
    '\n' +
      Object.entries(settings)
        .map(([k, v]) => `${k} = ${v}`)
        .join('\n') +
      '\n',
  );
  await server.start();
  return server;
}

function writeAsPostgres(path: string, content: string): void {
  writeFileSync(path, content);
  if (isRoot) {
    const pgUser = postgresUser();
    if (pgUser) chownSync(path, pgUser.uid, pgUser.gid);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Redis

export interface RedisServer {
  port: number;
  url: string;
  /** Starts redis-server (empty: nothing is persisted) and waits for PONG. */
  start(): Promise<void>;
  /** Kills redis-server; its data is gone. */
  stop(): Promise<void>;
  /** SIGSTOP: the port stays open but nothing answers. */
  freeze(): void;
  /** SIGCONT. */
  thaw(): void;
  destroy(): Promise<void>;
}

function redisPing(port: number): Promise<boolean> {
  return new Promise((resolvePing) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let buffer = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolvePing(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      buffer += d.toString();
      if (buffer.includes('\r\n')) done(buffer.startsWith('+PONG'));
    });
  });
}

/** A private, empty redis-server on a free port (no persistence). Started. */
export async function startRedis(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'gia-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  let log = '';

  const server: RedisServer & Resource = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      if (child && child.exitCode === null && child.signalCode === null) return;
      const proc = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      child = proc;
      proc.stdout?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
      proc.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
      await waitFor(`redis-server on port ${port}`, 15_000, async () => {
        if (proc.exitCode !== null) throw new Error(`redis-server exited ${proc.exitCode}: ${log}`);
        return redisPing(port);
      });
    },
    async stop() {
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((r) => proc.once('exit', () => r()));
      killQuietly(proc.pid, 'SIGKILL');
      await exited;
    },
    freeze() {
      killQuietly(child?.pid, 'SIGSTOP');
    },
    thaw() {
      killQuietly(child?.pid, 'SIGCONT');
    },
    async destroy() {
      resources.delete(server);
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    killSync() {
      killQuietly(child?.pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  track(server);
  await server.start();
  return server;
}

// ---------------------------------------------------------------------------------------------------------------
// The service

export interface ServiceProcess {
  url: string;
  pid: number;
  /** Shell JWT key written to its GITLAB_SHELL_SECRET_FILE (sign with test/helpers/jwt.ts shellJwt(claims, key)). */
  shellSecret: string;
  /** kas JWT key (the decoded content of its GITLAB_KAS_SECRET_FILE). */
  kasSecret: Buffer;
  /** Everything it wrote to stdout and stderr so far. */
  logs(): string;
  /** Sends `signal` (SIGTERM by default) and resolves with the exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Resolves with the exit code once the process has exited (without sending anything). */
  exited: Promise<number | null>;
}

/**
 * Starts `node dist/main.js` on a free port with its own secret files and data directory. `env` is applied over
 * a copy of the environment without DATABASE_URL/REDIS_URL (so the shared servers are never used by accident).
 * Resolves once GET /-/readiness answers 200.
 */
export async function startService(env: Record<string, string>): Promise<ServiceProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'gia-svc-'));
  const port = await freePort();
  const shellSecret = randomBytes(32).toString('hex');
  const kasSecret = randomBytes(32);
  writeFileSync(join(dir, 'shell_secret'), shellSecret + '\n', { mode: 0o600 });
  writeFileSync(join(dir, 'kas_secret'), kasSecret.toString('base64') + '\n', { mode: 0o600 });

  const baseEnv: Record<string, string | undefined> = { ...process.env };
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'DATABASE_READ_REPLICA_URLS', 'METRICS_PORT', 'ROOT_ACCESS_TOKEN', 'RELATIVE_URL_ROOT'])
    delete baseEnv[name];
  const childEnv = {
    ...baseEnv,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    EXTERNAL_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: join(dir, 'data'),
    GITLAB_SHELL_SECRET_FILE: join(dir, 'shell_secret'),
    GITLAB_KAS_SECRET_FILE: join(dir, 'kas_secret'),
    DB_KEY_BASE: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'info',
    ...env,
  };
  const child = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'main.js')], {
    cwd: dir,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const MAX_LOG = 4 * 1024 * 1024;
  const append = (d: Buffer) => {
    output += d.toString();
    if (output.length > MAX_LOG) output = output.slice(-MAX_LOG);
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  const url = `http://127.0.0.1:${port}`;
  const service: ServiceProcess & Resource = {
    url,
    pid: child.pid ?? 0,
    shellSecret,
    kasSecret,
    exited,
    logs: () => output,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (!hasExited) killQuietly(child.pid, signal);
      const timer = setTimeout(() => killQuietly(child.pid, 'SIGKILL'), 60_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async destroy() {
      resources.delete(service);
      if (!hasExited) {
        killQuietly(child.pid, 'SIGKILL');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
    killSync() {
      if (!hasExited) killQuietly(child.pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  track(service);

  try {
    await waitFor(
      `the service at ${url} to be ready`,
      90_000,
      async () => {
        if (hasExited) throw new Error(`the service exited before it was ready:\n${output.slice(-4000)}`);
        try {
          const res = await fetch(`${url}/-/readiness`, { signal: AbortSignal.timeout(2000) });
          await res.arrayBuffer();
          return res.status === 200;
        } catch {
          return false;
        }
      },
      200,
    );
  } catch (err) {
    await service.destroy();
    throw err;
  }
  return service;
}
