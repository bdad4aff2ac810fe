// The benchmark, in one run: the bare baseline (node:http + pg + jsonwebtoken, bench/bare-server.mjs), the service
// on express and on fastify (HTTP_ADAPTER), and a minimal Nest app per adapter, each in its own process, loaded by
// autocannon from another process (bench/load.mjs), one server at a time.
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench [-- --json out.json]
//   DATABASE_URL=… npm run bench -- --flatness [--key-counts 10000,200000,1000000]
//   DATABASE_URL=… npm run bench -- --routes allowed_pull --servers bare,fastify   (a partial run)
// The database named in DATABASE_URL is only used to create (and at the end drop) the benchmark's own database.
// REDIS_URL is passed to the service when set. Options: --seconds N (8), --connections N (32), --keys N (200000,
// the main run's data set), --json FILE.
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { installed, load, root, rssMb, serviceHasFastify, startScript, startService } from './lib.mjs';

const argv = process.argv.slice(2);
const option = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : def;
};
const seconds = Number(option('seconds', process.env.BENCH_SECONDS ?? 8));
const connections = Number(option('connections', process.env.BENCH_CONNECTIONS ?? 32));
const mainKeys = Number(option('keys', 200_000));
const jsonFile = option('json');
const flatness = argv.includes('--flatness');
const keyCounts = option('key-counts', '10000,200000,1000000').split(',').map(Number);
// --routes / --servers narrow a run (e.g. to profile one route); the ceiling and targets need the full run
const onlyRoutes = option('routes')?.split(',');
const onlyServers = option('servers')?.split(',');
const wanted = (server) => !onlyServers || onlyServers.includes(server);

const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) {
  console.error('DATABASE_URL is required: the benchmark creates (and drops) its own database on that server');
  process.exit(2);
}
const dbName = `gia_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
const dbUrl = (() => {
  const u = new URL(baseUrl);
  u.pathname = `/${dbName}`;
  return u.toString();
})();
async function admin(sql) {
  const c = new pg.Client({ connectionString: baseUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'gia-bench-'));
const secret = `bench-${randomBytes(8).toString('hex')}`;
writeFileSync(join(dir, 'shell'), secret + '\n');
const token = jwt.sign({ iss: 'gitlab-shell' }, secret, { algorithm: 'HS256', expiresIn: 4 * 3600 });
const serviceEnv = {
  DATABASE_URL: dbUrl,
  GITLAB_SHELL_SECRET_FILE: join(dir, 'shell'),
  GITLAB_KAS_SECRET_FILE: join(dir, 'kas'),
  EXTERNAL_URL: 'http://gitlab.test',
  GITALY_STORAGES: '{"default":{"address":"tcp://gitaly.test:8075","token":"gt"}}',
  DB_KEY_BASE: 'bench',
  GITLAB_REVISION: 'bench',
  REDIS_PREFIX: dbName,
};
const fastify = serviceHasFastify();
const nestFastify = installed('@nestjs/platform-fastify');

const ROUTES = {
  check: { path: '/api/v4/internal/check', method: 'GET' },
  authorized_keys: { method: 'GET' },
  allowed_pull: { path: '/api/v4/internal/allowed', method: 'POST' },
  allowed_push: { path: '/api/v4/internal/allowed', method: 'POST' },
};
/** The request of each route for the seeded sample (a Developer of a top-level group, a project below it). */
function requests(sample) {
  const headers = { 'Gitlab-Shell-Api-Request': token, 'Content-Type': 'application/json' };
  const base = { protocol: 'ssh', key_id: String(sample.key_id), project: `${sample.full_path}.git` };
  return {
    check: { ...ROUTES.check, headers: { 'Gitlab-Shell-Api-Request': token } },
    authorized_keys: { method: 'GET', path: `/api/v4/internal/authorized_keys?key=${encodeURIComponent(sample.blob)}`, headers },
    allowed_pull: { ...ROUTES.allowed_pull, headers, body: JSON.stringify({ ...base, action: 'git-upload-pack', changes: '_any' }) },
    allowed_push: {
      ...ROUTES.allowed_push,
      headers,
      body: JSON.stringify({
        ...base,
        action: 'git-receive-pack',
        gl_repository: `project-${sample.project_id}`,
        changes: `${'a'.repeat(40)} ${'b'.repeat(40)} refs/heads/main\n`,
      }),
    },
  };
}

function seed(keys, users) {
  const out = execFileSync(
    process.execPath,
    [join(root, 'bench', 'seed.mjs'), '--keys', String(keys), ...(users ? ['--users', String(users)] : [])],
    {
      env: { ...process.env, DATABASE_URL: dbUrl },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  ).toString();
  return JSON.parse(out.trim().split('\n').pop());
}

const results = [];
const skipped = [];
const memory = [];
const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** Measures `routes` on a started server, one after the other (1 s warm-up each), and prints one line per route. */
async function measure(server, name, routes, reqs, extra = {}) {
  for (const route of routes) {
    const r = reqs[route];
    const url = server.url + r.path;
    const probe = await fetch(url, { method: r.method, headers: r.headers, body: r.body });
    const probeText = await probe.text();
    if (probe.status !== 200) console.log(`# warning: route=${route} server=${name} answers ${probe.status} ${probeText.slice(0, 160)}`);
    await load(url, { ...r, duration: 1, connections });
    const cpuBefore = cpuMs(server.pid);
    const m = await load(url, { ...r, duration: seconds, connections, pid: server.pid });
    const cpuUsed = cpuMs(server.pid) - cpuBefore;
    const bare = results.find((x) => x.route === route && x.server === 'bare' && x.keys === extra.keys);
    const row = {
      route,
      server: name,
      ...extra,
      rps: Math.round(m.rps),
      p50_ms: m.p50,
      p99_ms: m.p99,
      ratio: bare ? m.rps / bare.rps : 1,
      rss_mb: Math.round(m.peakRssMb),
      // the server's own CPU per request: a slow route with little CPU per request is waiting, not working
      cpu_us_per_req: m.rps > 0 ? Math.round((cpuUsed * 1000) / (m.rps * seconds)) : null,
      non2xx: m.non2xx,
      errors: m.errors,
    };
    const nest = results.find((x) => x.route === 'check' && x.server === `nest-${name}`);
    if (nest) row.vs_nest = m.rps / nest.rps;
    results.push(row);
    console.log(
      `route=${route} server=${name}${extra.keys ? ` keys=${extra.keys}` : ''} rps=${row.rps} p50_ms=${row.p50_ms} p99_ms=${row.p99_ms} ratio=${fmt(row.ratio, 2)} rss_mb=${row.rss_mb} cpu_us_per_req=${row.cpu_us_per_req}` +
        (row.vs_nest !== undefined ? ` vs_nest=${fmt(row.vs_nest, 2)}` : '') +
        (row.non2xx || row.errors ? ` non2xx=${row.non2xx} errors=${row.errors}` : ''),
    );
  }
}

/** CPU time (user + system) a process has used so far, in ms (Linux /proc; clock ticks of 10 ms). */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

function skip(routes, name, why, extra = {}) {
  for (const route of routes) {
    skipped.push({ route, server: name, ...extra, skipped: why });
    console.log(`route=${route} server=${name}${extra.keys ? ` keys=${extra.keys}` : ''} skipped (${why})`);
  }
}

/** Starts the service on `adapter`, records its idle RSS, measures `routes`, stops it. */
async function measureService(adapter, routes, reqs, extra = {}) {
  if (adapter === 'fastify' && !fastify) return skip(routes, adapter, 'HTTP_ADAPTER=fastify is not in this build', extra);
  const service = await startService({ ...serviceEnv, HTTP_ADAPTER: adapter });
  try {
    await new Promise((r) => setTimeout(r, 2000));
    const idle = rssMb(service.pid);
    await measure(service, adapter, routes, reqs, extra);
    const peak = Math.max(...results.filter((x) => x.server === adapter && x.keys === extra.keys).map((x) => x.rss_mb));
    memory.push({ server: adapter, ...extra, idle_rss_mb: Math.round(idle), peak_rss_mb: peak });
    console.log(`memory server=${adapter}${extra.keys ? ` keys=${extra.keys}` : ''} idle_rss_mb=${Math.round(idle)} peak_rss_mb=${peak}`);
  } finally {
    await service.stop();
  }
}

async function measureScript(script, args, name, routes, reqs, extra = {}) {
  const server = await startScript(script, args, { BENCH_SECRET: secret, DATABASE_URL: dbUrl });
  try {
    await measure(server, name, routes, reqs, extra);
  } finally {
    await server.stop();
  }
}

function targets() {
  const get = (route, server) => results.find((x) => x.route === route && x.server === server && x.keys === undefined);
  const out = [];
  const add = (name, value, goal, met) =>
    out.push({
      name,
      value: Number.isFinite(value) ? Number(value.toFixed(2)) : null,
      goal,
      met: Number.isFinite(value) ? met(value) : null,
    });
  const dbRoutes = ['authorized_keys', 'allowed_pull', 'allowed_push'];
  add('express check / nest-express check', get('check', 'express')?.vs_nest, '>= 0.7', (v) => v >= 0.7);
  for (const r of dbRoutes) add(`express ${r} / nest-express check`, get(r, 'express')?.vs_nest, '>= 0.6', (v) => v >= 0.6);
  add('fastify check / bare', get('check', 'fastify')?.ratio, '>= 0.6', (v) => v >= 0.6);
  for (const r of dbRoutes) add(`fastify ${r} / bare`, get(r, 'fastify')?.ratio, '>= 0.8', (v) => v >= 0.8);
  for (const server of ['express', 'fastify'])
    for (const r of Object.keys(ROUTES)) {
      const row = get(r, server);
      add(`${server} ${r} p99 / bare p99`, row ? row.p99_ms / Math.max(1, get(r, 'bare').p99_ms) : NaN, '<= 2', (v) => v <= 2);
    }
  for (const m of memory.filter((x) => x.keys === undefined)) {
    add(`${m.server} peak RSS MB`, m.peak_rss_mb, '<= 250', (v) => v <= 250);
    add(`${m.server} idle RSS MB`, m.idle_rss_mb, '<= 150', (v) => v <= 150);
  }
  for (const t of out)
    console.log(`target ${t.name}: ${t.value ?? 'n/a'} (goal ${t.goal}) ${t.met === null ? 'not measured' : t.met ? 'met' : 'NOT met'}`);
  return out;
}

const report = { date: new Date().toISOString(), cpus: cpus().length, loadavg: loadavg(), seconds, connections, results, skipped, memory };
try {
  await admin(`CREATE DATABASE "${dbName}"`);
  console.log(
    `# ${cpus().length} CPUs, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; ${connections} connections, ${seconds} s per measurement; database ${dbName}`,
  );
  // the first start migrates the new database
  await (await startService({ ...serviceEnv, HTTP_ADAPTER: 'express' })).stop();
  if (!flatness) {
    const facts = seed(mainKeys);
    report.keys = facts.keys;
    console.log(`# seeded ${facts.users} users, ${facts.keys} keys, ${facts.projects} projects`);
    const reqs = requests(facts.sample);
    const all = Object.keys(ROUTES).filter((r) => !onlyRoutes || onlyRoutes.includes(r));
    const check = all.includes('check') ? ['check'] : [];
    if (wanted('bare')) await measureScript('bare-server.mjs', [], 'bare', all, reqs);
    if (wanted('nest-express') && check.length) await measureScript('minimal-nest.mjs', ['express'], 'nest-express', check, reqs);
    if (wanted('nest-fastify') && check.length) {
      if (nestFastify) await measureScript('minimal-nest.mjs', ['fastify'], 'nest-fastify', check, reqs);
      else skip(check, 'nest-fastify', '@nestjs/platform-fastify is not installed');
    }
    if (wanted('express')) await measureService('express', all, reqs);
    if (wanted('fastify')) await measureService('fastify', all, reqs);
    if (onlyRoutes || onlyServers) console.log('# partial run (--routes/--servers): no ceiling or target lines');
    else {
      const bareCheck = results.find((x) => x.route === 'check' && x.server === 'bare').rps;
      const highest = Math.max(...results.filter((x) => x.server === 'express' || x.server === 'fastify').map((x) => x.rps));
      report.ceiling = { bare_check_rps: bareCheck, highest_service_rps: highest, factor: bareCheck / highest, ok: bareCheck >= 2 * highest };
      console.log(
        `ceiling bare_check_rps=${bareCheck} highest_service_rps=${highest} factor=${fmt(bareCheck / highest, 2)} ${bareCheck >= 2 * highest ? 'ok: the load generator is not the limit' : 'NOT ok: the load generator may be the limit'}`,
      );
      report.targets = targets();
    }
  } else {
    // key-count flatness: the same users, projects and memberships; only the number of keys grows
    const routes = ['authorized_keys', 'allowed_pull'];
    for (const keys of keyCounts) {
      const started = Date.now();
      const facts = seed(keys, 5000);
      console.log(`# seeded ${facts.keys} keys in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      const reqs = requests(facts.sample);
      await measureScript('bare-server.mjs', [], 'bare', routes, reqs, { keys });
      await measureService('express', routes, reqs, { keys });
      await measureService('fastify', routes, reqs, { keys });
    }
    report.flatness = [];
    const [low, high] = [keyCounts[0], keyCounts[keyCounts.length - 1]];
    for (const server of ['bare', 'express', 'fastify'])
      for (const route of routes) {
        const a = results.find((x) => x.server === server && x.route === route && x.keys === low);
        const b = results.find((x) => x.server === server && x.route === route && x.keys === high);
        if (!a || !b) continue;
        const drop = (1 - b.rps / a.rps) * 100;
        report.flatness.push({
          server,
          route,
          from_keys: low,
          to_keys: high,
          from_rps: a.rps,
          to_rps: b.rps,
          drop_pct: Number(drop.toFixed(1)),
        });
        console.log(`flatness route=${route} server=${server} keys=${low}->${high} rps=${a.rps}->${b.rps} drop_pct=${fmt(drop, 1)}`);
      }
  }
} finally {
  await admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch((err) => console.error(`could not drop ${dbName}: ${err.message}`));
  if (jsonFile) writeFileSync(jsonFile, JSON.stringify(report, null, 2) + '\n');
}
