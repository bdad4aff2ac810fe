// Shared benchmark harness: start the built service and a bare node:http baseline on loopback, load both with
// autocannon in the same run, print req/s, latency percentiles and the ours/bare ratio, and sample the
// service's peak RSS while it is loaded.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
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

/** Starts `node dist/main.js` with `env`; resolves once /-/readiness answers 200. */
export async function startService(env) {
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'dist', 'main.js')], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    try {
      const res = await fetch(`${url}/-/readiness`);
      if (res.status === 200) break;
    } catch {
      /* not yet */
    }
    if (child.exitCode !== null) throw new Error('service exited during start');
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    pid: child.pid,
    stop: () => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); }),
  };
}

/** Starts bench/bare-server.mjs `<mode>` in its own process (like the service, not sharing the load generator's event loop). */
export async function startBare(mode, env) {
  const child = spawn(process.execPath, [join(root, 'bench', 'bare-server.mjs'), mode], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      const m = /ready (\d+)/.exec(String(d));
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', () => reject(new Error('bare server exited')));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    stop: () => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); }),
  };
}

/** Resident set size of a process in MB (Linux /proc). */
export function rssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return kb / 1024;
  } catch {
    return 0;
  }
}

/** Runs autocannon against `url` for `duration` seconds; `requests` may set method, headers and body (or a setup hook). */
export async function load(url, { connections = 32, duration = 5, method = 'GET', headers = {}, body, setupRequest, pid } = {}) {
  let peak = 0;
  const sampler = pid ? setInterval(() => (peak = Math.max(peak, rssMb(pid))), 100) : null;
  const result = await autocannon({
    url,
    connections,
    duration,
    method,
    headers,
    body,
    requests: setupRequest ? [{ setupRequest }] : undefined,
  });
  if (sampler) clearInterval(sampler);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    peakRssMb: peak,
  };
}

export function report(title, ours, bare) {
  const row = (name, r) =>
    `  ${name.padEnd(6)} ${r.rps.toFixed(0).padStart(8)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   non-2xx ${r.non2xx}   errors ${r.errors}` +
    (r.peakRssMb ? `   peak RSS ${r.peakRssMb.toFixed(0)} MB` : '');
  console.log(`\n${title}`);
  console.log(row('ours', ours));
  console.log(row('bare', bare));
  console.log(`  ratio ours/bare: ${(ours.rps / bare.rps).toFixed(2)}`);
}
