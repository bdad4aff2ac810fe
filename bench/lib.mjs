// Shared benchmark harness: servers in their own processes on loopback, the load generator in another, RSS read
// from /proc while the load runs.
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function freePort() {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function stopper(child) {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', resolve);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
    });
}

/** Starts `node dist/main.js` with `env` (request logs at the default level, to /dev/null); resolves once /-/readiness answers 200. */
export async function startService(env) {
  const port = await freePort();
  // BENCH_SERVICE_NODE_ARGS: extra node flags for the service, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it
  const nodeArgs = (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, join(root, 'dist', 'main.js')], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error('service exited during start');
    if (i > 480) throw new Error('service did not become ready in 120 s');
    try {
      const res = await fetch(`${url}/-/readiness`);
      if (res.status === 200) break;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, pid: child.pid, stop: stopper(child) };
}

/** Starts a bench script that prints "ready <port>" (the bare baseline, a minimal Nest app) in its own process. */
export async function startScript(script, args, env) {
  const child = spawn(process.execPath, [join(root, 'bench', script), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      const m = /ready (\d+)/.exec(String(d));
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', () => reject(new Error(`${script} exited`)));
  });
  return { url: `http://127.0.0.1:${port}`, pid: child.pid, stop: stopper(child) };
}

/** Whether a package can be loaded from the project (the fastify adapter may not be installed). */
export function installed(pkg) {
  try {
    createRequire(join(root, 'package.json')).resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

/** Whether the built service knows `HTTP_ADAPTER=fastify` (its configuration names the variable). */
export function serviceHasFastify() {
  const config = join(root, 'dist', 'config', 'config.js');
  return installed('@nestjs/platform-fastify') && existsSync(config) && readFileSync(config, 'utf8').includes('HTTP_ADAPTER');
}

/** Resident set size of a process in MB (Linux /proc). */
export function rssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/**
 * Loads `url` from bench/load.mjs (autocannon in its own process) for `duration` seconds, sampling the peak RSS
 * of the server `pid` meanwhile.
 */
export async function load(url, { connections = 32, duration = 8, method = 'GET', headers = {}, body, pid } = {}) {
  let peak = pid ? rssMb(pid) : 0;
  const sampler = pid ? setInterval(() => (peak = Math.max(peak, rssMb(pid))), 100) : null;
  try {
    const out = await new Promise((resolve, reject) =>
      execFile(
        process.execPath,
        [join(root, 'bench', 'load.mjs'), JSON.stringify({ url, connections, duration, method, headers, body })],
        { maxBuffer: 1 << 20 },
        (err, stdout) => (err ? reject(err) : resolve(stdout)),
      ),
    );
    return { ...JSON.parse(out.trim().split('\n').pop()), peakRssMb: peak };
  } finally {
    if (sampler) clearInterval(sampler);
  }
}
