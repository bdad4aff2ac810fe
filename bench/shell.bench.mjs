// Hot paths of gitlab-shell / Gitaly against a bare node:http + pg server running the same SQL, in one run:
//   GET  /api/v4/internal/authorized_keys?key=<blob>
//   POST /api/v4/internal/allowed   pull by a member of a top-level group (changes _any)
//   POST /api/v4/internal/allowed   push with changes to a protected branch by a developer
// Usage (PostgreSQL; seeds first unless --no-seed):
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/gia_bench npm run bench:shell [-- --keys 1000000]
// Environment: BENCH_SECONDS (default 5), BENCH_CONNECTIONS (default 32).
import { execFileSync } from 'node:child_process';
import jwt from 'jsonwebtoken';
import { createHash } from 'node:crypto';
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
const passArgs = process.argv.slice(2).filter((a) => a !== '--no-seed');
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
if (!facts) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const sample = (await c.query(`SELECT k.user_id, k.id AS key_id, split_part(k.key, ' ', 2) AS blob, p.id AS project_id, p.full_path FROM keys k JOIN members m ON m.user_id = k.user_id JOIN namespaces g ON g.id = m.source_id JOIN projects p ON p.full_path LIKE g.full_path || '/%' LIMIT 1`)).rows[0];
  facts = { sample };
  await c.end();
}
const { sample } = facts;

// bare baseline: the same lookups, written directly with pg
const pool = new pg.Pool({ connectionString: url, max: 10 });
const json = (res, status, body) => {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
};
const fingerprint = (blob) => createHash('sha256').update(Buffer.from(blob.replace(/[^A-Za-z0-9+/]/g, ''), 'base64')).digest('base64').replace(/=+$/, '');
const ACCESS_SQL = `WITH RECURSIVE up(id, parent_id, type, owner_id) AS (
    SELECT n.id, n.parent_id, n.type, n.owner_id FROM namespaces n WHERE n.id = $2
    UNION ALL SELECT n.id, n.parent_id, n.type, n.owner_id FROM namespaces n JOIN up ON n.id = up.parent_id)
  SELECT GREATEST((SELECT CASE WHEN EXISTS (SELECT 1 FROM up WHERE type = 'User' AND owner_id = $1) THEN 50 ELSE 0 END),
    (SELECT max(m.access_level) FROM members m WHERE m.user_id = $1 AND m.state = 0 AND m.requested_at IS NULL
       AND (m.expires_at IS NULL OR m.expires_at >= current_date)
       AND ((m.source_type = 'Project' AND m.source_id = $3) OR (m.source_type = 'Namespace' AND m.source_id IN (SELECT id FROM up))))) AS level,
    (SELECT id FROM up WHERE parent_id IS NULL) AS root_id`;
const bare = await startBare(async (req, res, body) => {
  try {
    jwt.verify(req.headers['gitlab-shell-api-request'], secret, { algorithms: ['HS256'], issuer: 'gitlab-shell', clockTolerance: 60 });
    if (req.url.startsWith('/authorized_keys')) {
      const key = new URL(req.url, 'http://x').searchParams.get('key') ?? '';
      const r = await pool.query(
        `SELECT k.id, k.title, k.created_at, k.expires_at, k.key, k.usage_type, u.name FROM keys k LEFT JOIN users u ON u.id = k.user_id
         WHERE k.fingerprint_sha256 = $1 AND k.usage_type IN ('auth', 'auth_and_signing')`,
        [fingerprint(key)],
      );
      if (!r.rows[0]) return json(res, 404, { message: '404 Key Not Found' });
      const k = r.rows[0];
      const [type, blob] = k.key.split(' ');
      return json(res, 200, { id: Number(k.id), title: k.title, created_at: k.created_at.toISOString(), expires_at: k.expires_at, key: `${type} ${blob} ${k.name} (gitlab.test)`, usage_type: k.usage_type });
    }
    const params = JSON.parse(body || '{}');
    const actor = await pool.query(`SELECT k.id, k.type, u.id AS user_id, u.username, u.state, u.admin, u.external FROM keys k LEFT JOIN users u ON u.id = k.user_id WHERE k.id = $1`, [Number(params.key_id)]);
    const project = await pool.query(`SELECT id, full_path, disk_path, namespace_id, visibility_level, repository_access_level, archived, repository_storage FROM projects WHERE lower(full_path) = lower($1) AND NOT pending_delete`, [params.project.replace(/^\//, '').replace(/\.git$/, '')]);
    const a = actor.rows[0];
    const p = project.rows[0];
    if (!a || !p) return json(res, 404, { status: false, message: 'not found' });
    const access = await pool.query(ACCESS_SQL, [a.user_id, p.namespace_id, p.id]);
    const level = Number(access.rows[0].level ?? 0);
    const push = params.action === 'git-receive-pack';
    if (push && params.changes !== '_any') {
      const pb = await pool.query(`SELECT b.name, l.access_level FROM protected_branches b JOIN protected_branch_push_access_levels l ON l.protected_branch_id = b.id WHERE b.project_id = $1`, [p.id]);
      if (!pb.rows.some((r) => level >= (r.access_level ?? 99))) return json(res, 401, { status: false, message: 'denied' });
    }
    if (level < (push ? 30 : 20)) return json(res, 404, { status: false, message: 'denied' });
    return json(res, 200, {
      status: true, gl_repository: `project-${p.id}`, gl_project_path: p.full_path, gl_project_id: Number(p.id), gl_root_namespace_id: Number(access.rows[0].root_id),
      gl_id: `user-${a.user_id}`, gl_username: a.username, git_config_options: ['uploadpack.allowFilter=true', 'uploadpack.allowAnySHA1InWant=true'],
      gitaly: { repository: { storage_name: p.repository_storage, relative_path: `${p.disk_path}.git`, git_object_directory: '', git_alternate_object_directories: [], gl_repository: `project-${p.id}`, gl_project_path: p.full_path }, address: 'tcp://gitaly.test:8075', token: 'gt', features: {} },
      gl_console_messages: [], need_audit: false, gl_key_type: 'key', gl_key_id: Number(a.id),
    });
  } catch (err) {
    json(res, 500, { message: String(err) });
  }
});

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
    report(`${title} — ${connections} connections, ${seconds} s, ${facts.keys ?? '?'} keys`, o, b);
  }
} finally {
  await service.stop();
  await bare.stop();
  await pool.end();
}
