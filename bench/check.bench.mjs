// GET /api/v4/internal/check (shell JWT verified) against a bare node:http server that verifies the same JWT
// and answers the same JSON, both on loopback in one run.
//   npm run bench            (embedded database unless DATABASE_URL is set)
//   BENCH_SECONDS=10 BENCH_CONNECTIONS=32 npm run bench
import jwt from 'jsonwebtoken';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load, report, startBare, startService } from './lib.mjs';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const dir = mkdtempSync(join(tmpdir(), 'gia-bench-'));
const secret = 'bench-secret';
writeFileSync(join(dir, 'shell'), secret + '\n');
const token = () => jwt.sign({ iss: 'gitlab-shell' }, secret, { algorithm: 'HS256', expiresIn: 600 });

const service = await startService({
  GITLAB_SHELL_SECRET_FILE: join(dir, 'shell'),
  GITLAB_KAS_SECRET_FILE: join(dir, 'kas'),
  DATA_DIR: join(dir, 'data'),
  GITLAB_REVISION: 'bench',
});
const bare = await startBare('check', { BENCH_SECRET: secret });
const headers = { 'Gitlab-Shell-Api-Request': token() };
try {
  // warm up both
  await load(`${service.url}/api/v4/internal/check`, { duration: 1, connections, headers });
  await load(`${bare.url}/check`, { duration: 1, connections, headers });
  const ours = await load(`${service.url}/api/v4/internal/check`, { duration: seconds, connections, headers, pid: service.pid });
  const base = await load(`${bare.url}/check`, { duration: seconds, connections, headers });
  report(`GET /api/v4/internal/check — ${connections} connections, ${seconds} s each, ${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded database'}`, ours, base);
} finally {
  await service.stop();
  await bare.stop();
}
