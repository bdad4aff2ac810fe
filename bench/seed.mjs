// Seeds a benchmark database through SQL (set-based, seconds not hours):
//   node bench/seed.mjs [--users 100000] [--keys 200000] [--projects 50000] [--top-groups 100]
//   node bench/seed.mjs --keys 1000000          (the 1 M key variant)
// Needs DATABASE_URL pointing at a migrated database (start the service once against it, or run the tests'
// template step). Users u1..uN each own two keys (k = 2 × users unless --keys says otherwise); top-level groups
// g1..gG each hold a chain of 4 subgroups (5 levels), projects are spread over the deepest groups, every user is
// a Developer of one top-level group, and every project has a protected branch `main` (push: Developers +
// Maintainers). Prints the facts the benchmarks need as JSON on the last line.
import pg from 'pg';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const keys = arg('keys', 200_000);
// every sampled user needs a key: at most one user per two keys unless --users says otherwise
const users = arg('users', Math.min(100_000, Math.ceil(keys / 2)));
const projects = arg('projects', 50_000);
const topGroups = arg('top-groups', 100);
const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is required');
  process.exit(2);
}
const client = new pg.Client({ connectionString: url });
await client.connect();
const q = async (label, sql, params) => {
  const t = Date.now();
  const res = await client.query(sql, params);
  console.error(`${label}: ${res.rowCount ?? 0} rows in ${Date.now() - t} ms`);
  return res;
};

await q('truncate', `TRUNCATE users, namespaces, projects, members, keys, personal_access_tokens, identities, redirect_routes RESTART IDENTITY CASCADE`);
await q('users', `INSERT INTO users (username, name, email) SELECT 'u' || i, 'User ' || i, 'u' || i || '@example.com' FROM generate_series(1, $1) i`, [users]);
await q('personal namespaces', `INSERT INTO namespaces (type, name, path, full_path, owner_id, visibility_level) SELECT 'User', name, username, username, id, 20 FROM users`);
// key blob: string "ssh-ed25519" and 32 bytes, each length-prefixed, as OpenSSH encodes an ed25519 public key
await q(
  'keys',
  `INSERT INTO keys (type, user_id, title, key, fingerprint, fingerprint_sha256, usage_type)
   SELECT 'Key', ((i - 1) % $2) + 1, 'key ' || i,
          'ssh-ed25519 ' || replace(encode(b, 'base64'), E'\\n', ''),
          regexp_replace(md5(b), '(..)(?!$)', '\\1:', 'g'),
          rtrim(encode(sha256(b), 'base64'), '='),
          'auth_and_signing'
   FROM (SELECT i, '\\x0000000b'::bytea || convert_to('ssh-ed25519', 'UTF8') || '\\x00000020'::bytea || sha256(convert_to('bench-key-' || i, 'UTF8')) AS b
         FROM generate_series(1, $1) i) s`,
  [keys, users],
);
await q('top-level groups', `INSERT INTO namespaces (type, name, path, full_path, visibility_level) SELECT 'Group', 'g' || i, 'g' || i, 'g' || i, 0 FROM generate_series(1, $1) i`, [topGroups]);
for (let depth = 2; depth <= 5; depth++) {
  await q(
    `groups level ${depth}`,
    `INSERT INTO namespaces (type, name, path, full_path, parent_id, visibility_level)
     SELECT 'Group', 's' || $1::int, 's' || $1::int, full_path || '/s' || $1::int, id, 0 FROM namespaces
     WHERE type = 'Group' AND array_length(string_to_array(full_path, '/'), 1) = $1::int - 1`,
    [depth],
  );
}
await q(
  'projects',
  `WITH leaves AS (SELECT id, full_path, row_number() OVER (ORDER BY id) AS n FROM namespaces
                   WHERE type = 'Group' AND array_length(string_to_array(full_path, '/'), 1) = 5)
   INSERT INTO projects (namespace_id, name, path, full_path, disk_path, repository_storage, default_branch, visibility_level)
   SELECT l.id, 'p' || i, 'p' || i, l.full_path || '/p' || i, 'seed/' || i, 'default', 'main', 0
   FROM generate_series(1, $1) i JOIN leaves l ON l.n = ((i - 1) % $2) + 1`,
  [projects, topGroups],
);
await q(
  'hashed disk paths',
  `UPDATE projects SET disk_path = '@hashed/' || substr(h, 1, 2) || '/' || substr(h, 3, 2) || '/' || h
   FROM (SELECT id AS pid, encode(sha256(convert_to(id::text, 'UTF8')), 'hex') AS h FROM projects) s WHERE id = s.pid`,
);
await q(
  'memberships',
  `INSERT INTO members (source_type, source_id, user_id, access_level)
   SELECT 'Namespace', g.id, u.id, 30 FROM users u
   JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM namespaces WHERE type = 'Group' AND parent_id IS NULL) g ON g.n = ((u.id - 1) % $1) + 1`,
  [topGroups],
);
const hasProtected = (await client.query(`SELECT to_regclass('protected_branches') AS t`)).rows[0].t;
if (hasProtected) {
  await q('protected branches', `INSERT INTO protected_branches (project_id, name) SELECT id, 'main' FROM projects`);
  await q('push levels', `INSERT INTO protected_branch_push_access_levels (protected_branch_id, access_level) SELECT id, 30 FROM protected_branches`);
  await q('merge levels', `INSERT INTO protected_branch_merge_access_levels (protected_branch_id, access_level) SELECT id, 40 FROM protected_branches`);
}
// one key drives the whole load: lift the per-actor operation limit for the benchmark
await q('unlimited shell operations', `UPDATE application_settings SET gitlab_shell_operation_limit = 0`);
await q('analyze', 'ANALYZE');
// a user, one of its keys, and a project of the group it belongs to
const sample = (
  await client.query(
    `SELECT u.id AS user_id, k.id AS key_id, split_part(k.key, ' ', 2) AS blob, p.id AS project_id, p.full_path
     FROM users u JOIN keys k ON k.user_id = u.id
     JOIN members m ON m.user_id = u.id AND m.source_type = 'Namespace'
     JOIN namespaces g ON g.id = m.source_id
     JOIN projects p ON p.full_path LIKE g.full_path || '/%'
     WHERE u.id = $1 LIMIT 1`,
    [Math.max(1, Math.floor(users / 2))],
  )
).rows[0];
await client.end();
console.log(JSON.stringify({ users, keys, projects, sample }));
