// Hot paths of gitlab-shell / Gitaly against a bare node:http + pg server running the same SQL, in one run:
//   GET  /api/v4/internal/authorized_keys?key=<blob>
//   POST /api/v4/internal/allowed   pull by a member of a top-level group (changes _any)
//   POST /api/v4/internal/allowed   push with changes to a protected branch by a developer
// Usage (PostgreSQL; seeds first unless --no-seed):
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/gia_bench npm run bench:shell [-- --keys 1000000]
// Environment: BENCH_SECONDS (default 5), BENCH_CONNECTIONS (default 32).
// --replica URL: the service reads the hot paths from that streaming replica of DATABASE_URL (the bare baseline
// keeps reading the primary); the load starts once the replica is in rotation.
import { execFileSync } from 'node:child_process';
import jwt from 'jsonwebtoken';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { load, report, root, startBare, startService } from './lib.mjs';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is required (a PostgreSQL database; it is migrated and seeded)');
  process.exit(2);
}
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const replicaAt = process.argv.indexOf('--replica');
const replica = replicaAt >= 0 ? process.argv[replicaAt + 1] : undefined;
const passArgs = process.argv.slice(2).filter((a, i, all) => a !== '--no-seed' && a !== '--replica' && all[i - 1] !== '--replica');
const dir = mkdtempSync(join(tmpdir(), 'gia-bench-'));
const secret = 'bench-secret';
writeFileSync(join(dir, 'shell'), secret + '\n');
const token = jwt.sign({ iss: 'gitlab-shell' }, secret, { algorithm: 'HS256', expiresIn: 3600 });

// start once to migrate, then seed
const env = {
  DATABASE_URL: url,
  GITLAB_SHELL_SECRET_FILE: join(dir, 'shell'),
  GITLAB_KAS_SECRET_FILE: join(dir, 'kas'),
  EXTERNAL_URL: 'http://gitlab.test',
  GITALY_STORAGES: '{"default":{"address":"tcp://gitaly.test:8075","token":"gt"}}',
  DB_KEY_BASE: 'bench',
};
let service = await startService(env);
let facts;
if (!process.argv.includes('--no-seed')) {
  await service.stop();
  const out = execFileSync(process.execPath, [join(root, 'bench', 'seed.mjs'), ...passArgs], { env: { ...process.env, DATABASE_URL: url }, stdio: ['ignore', 'pipe', 'inherit'] }).toString();
  facts = JSON.parse(out.trim().split('\n').pop());
  service = await startService(env);
}
if (replica) {
  await service.stop();
  service = await startService({ ...env, DATABASE_READ_REPLICA_URLS: replica });
  for (let i = 0; ; i++) {
    const details = (await (await fetch(`${service.url}/-/readiness`)).json()).details;
    if (details.database_replicas?.replicas.every((r) => r.in_rotation)) break;
    if (i > 100) throw new Error(`replica not in rotation: ${JSON.stringify(details.database_replicas)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
if (!facts) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const sample = (await c.query(`SELECT k.user_id, k.id AS key_id, split_part(k.key, ' ', 2) AS blob, p.id AS project_id, p.full_path FROM keys k JOIN members m ON m.user_id = k.user_id JOIN namespaces g ON g.id = m.source_id JOIN projects p ON p.full_path LIKE g.full_path || '/%' LIMIT 1`)).rows[0];
  facts = { sample };
  await c.end();
}
const { sample } = facts;

// bare baseline: the same lookups, written directly with pg, in its own process
const bare = await startBare('shell', { BENCH_SECRET: secret, DATABASE_URL: url });

const headers = { 'Gitlab-Shell-Api-Request': token, 'Content-Type': 'application/json' };
const pull = JSON.stringify({ action: 'git-upload-pack', project: `${sample.full_path}.git`, changes: '_any', protocol: 'ssh', key_id: String(sample.key_id) });
const pushBody = JSON.stringify({
  action: 'git-receive-pack', gl_repository: `project-${sample.project_id}`, project: `${sample.full_path}.git`, protocol: 'ssh', key_id: String(sample.key_id),
  changes: `${'a'.repeat(40)} ${'b'.repeat(40)} refs/heads/main\n`,
});
const cases = [
  ['GET /authorized_keys', `${service.url}/api/v4/internal/authorized_keys?key=${encodeURIComponent(sample.blob)}`, `${bare.url}/authorized_keys?key=${encodeURIComponent(sample.blob)}`, { method: 'GET' }],
  ['POST /allowed (pull, member of a top-level group)', `${service.url}/api/v4/internal/allowed`, `${bare.url}/allowed`, { method: 'POST', body: pull }],
  ['POST /allowed (push to a protected branch, developer)', `${service.url}/api/v4/internal/allowed`, `${bare.url}/allowed`, { method: 'POST', body: pushBody }],
];
try {
  for (const [title, ours, base, opts] of cases) {
    const probe = await fetch(ours, { method: opts.method, headers, body: opts.body });
    console.log(`\n${title}: service answers ${probe.status} ${(await probe.text()).slice(0, 160)}`);
    await load(ours, { ...opts, headers, duration: 1, connections });
    await load(base, { ...opts, headers, duration: 1, connections });
    const o = await load(ours, { ...opts, headers, duration: seconds, connections, pid: service.pid });
    const b = await load(base, { ...opts, headers, duration: seconds, connections });
    report(`${title} — ${connections} connections, ${seconds} s, ${facts.keys ?? '?'} keys${replica ? ', service reading the replica' : ''}`, o, b);
  }
} finally {
  await service.stop();
  await bare.stop();
}
