// The bare baseline, in its own process (as the service is): node:http + jsonwebtoken + pg, no framework, answering
// the service's paths with the same queries:
//   GET  /api/v4/internal/check             the shell JWT verified, the same JSON
//   GET  /api/v4/internal/authorized_keys   one query
//   POST /api/v4/internal/allowed           actor, project, access level (+ protected branches for a push)
// Every statement is a named prepared statement, as the service's hot paths run them (DB_PREPARED_STATEMENTS), so
// the ratio measures the service's own work, not PostgreSQL's planning.
//   node bench/bare-server.mjs    (env: PORT, BENCH_SECRET; DATABASE_URL for the database routes)
// Prints "ready <port>" once listening.
import { createHash, createSecretKey } from 'node:crypto';
import { createServer } from 'node:http';
import jwt from 'jsonwebtoken';
import pg from 'pg';

const secret = createSecretKey(Buffer.from(process.env.BENCH_SECRET, 'utf8'));
const pool = process.env.DATABASE_URL ? new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 }) : null;
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
const checkBody = JSON.stringify({ api_version: 'v4', gitlab_version: '17.11.0', gitlab_rev: 'bench', redis: false, gitlab_revision: 'bench' });

async function shell(req, res, body) {
  if (req.url.startsWith('/api/v4/internal/authorized_keys')) {
    const key = new URL(req.url, 'http://x').searchParams.get('key') ?? '';
    const r = await pool.query({
      name: 'bare_authorized_keys',
      text: `SELECT k.id, k.title, k.created_at, k.expires_at, k.key, k.usage_type, u.name FROM keys k LEFT JOIN users u ON u.id = k.user_id
       WHERE k.fingerprint_sha256 = $1 AND k.usage_type IN ('auth', 'auth_and_signing')`,
      values: [fingerprint(key)],
    });
    if (!r.rows[0]) return json(res, 404, { message: '404 Key Not Found' });
    const k = r.rows[0];
    const [type, blob] = k.key.split(' ');
    return json(res, 200, { id: Number(k.id), title: k.title, created_at: k.created_at.toISOString(), expires_at: k.expires_at, key: `${type} ${blob} ${k.name} (gitlab.test)`, usage_type: k.usage_type });
  }
  const params = JSON.parse(body || '{}');
  const actor = await pool.query({
    name: 'bare_actor',
    text: `SELECT k.id, k.type, u.id AS user_id, u.username, u.state, u.admin, u.external FROM keys k LEFT JOIN users u ON u.id = k.user_id WHERE k.id = $1`,
    values: [Number(params.key_id)],
  });
  const project = await pool.query({
    name: 'bare_project',
    text: `SELECT id, full_path, disk_path, namespace_id, visibility_level, repository_access_level, archived, repository_storage FROM projects WHERE lower(full_path) = lower($1) AND NOT pending_delete`,
    values: [params.project.replace(/^\//, '').replace(/\.git$/, '')],
  });
  const a = actor.rows[0];
  const p = project.rows[0];
  if (!a || !p) return json(res, 404, { status: false, message: 'not found' });
  const access = await pool.query({ name: 'bare_access', text: ACCESS_SQL, values: [a.user_id, p.namespace_id, p.id] });
  const level = Number(access.rows[0].level ?? 0);
  const push = params.action === 'git-receive-pack';
  if (push && params.changes !== '_any') {
    const pb = await pool.query({
      name: 'bare_protected_branches',
      text: `SELECT b.name, l.access_level FROM protected_branches b JOIN protected_branch_push_access_levels l ON l.protected_branch_id = b.id WHERE b.project_id = $1`,
      values: [p.id],
    });
    if (!pb.rows.some((r) => level >= (r.access_level ?? 99))) return json(res, 401, { status: false, message: 'denied' });
  }
  if (level < (push ? 30 : 20)) return json(res, 404, { status: false, message: 'denied' });
  return json(res, 200, {
    status: true, gl_repository: `project-${p.id}`, gl_project_path: p.full_path, gl_project_id: Number(p.id), gl_root_namespace_id: Number(access.rows[0].root_id),
    gl_id: `user-${a.user_id}`, gl_username: a.username, git_config_options: ['uploadpack.allowFilter=true', 'uploadpack.allowAnySHA1InWant=true'],
    gitaly: { repository: { storage_name: p.repository_storage, relative_path: `${p.disk_path}.git`, git_object_directory: '', git_alternate_object_directories: [], gl_repository: `project-${p.id}`, gl_project_path: p.full_path }, address: 'tcp://gitaly.test:8075', token: 'gt', features: {} },
    gl_console_messages: [], need_audit: false, gl_key_type: 'key', gl_key_id: Number(a.id),
  });
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    try {
      jwt.verify(req.headers['gitlab-shell-api-request'], secret, { algorithms: ['HS256'], issuer: 'gitlab-shell', clockTolerance: 60 });
    } catch {
      return json(res, 401, { message: '401 Unauthorized' });
    }
    try {
      if (req.url === '/api/v4/internal/check') {
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
        return res.end(checkBody);
      }
      if (!pool) return json(res, 404, { message: '404 Not Found' });
      await shell(req, res, Buffer.concat(chunks).toString());
    } catch (err) {
      json(res, 500, { message: String(err) });
    }
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => process.stdout.write(`ready ${server.address().port}\n`));
