// Memory of the zero-configuration start: the built service with no DATABASE_URL (embedded PostgreSQL in a worker
// thread) and no REDIS_URL, started twice on a new data directory: the first start creates the database cluster
// and migrates it, the second opens it. Prints, per start, the seconds until /-/readiness answers, the peak
// resident memory of the process (VmHWM) and its resident memory three seconds after it is ready.
//   npm run build && node bench/embedded-start.mjs [--json FILE]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService } from './lib.mjs';

const argv = process.argv.slice(2);
const jsonFile = argv.includes('--json') ? argv[argv.indexOf('--json') + 1] : undefined;
const dir = mkdtempSync(join(tmpdir(), 'gia-embedded-'));
const memory = (pid) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mb = (name) => Math.round(Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024);
  return { peak_rss_mb: mb('VmHWM'), rss_mb: mb('VmRSS') };
};

async function start(label) {
  const began = Date.now();
  // blank DATABASE_URL and REDIS_URL count as unset: the embedded database and the in-process job runner
  const service = await startService({
    DATABASE_URL: '',
    REDIS_URL: '',
    DATA_DIR: join(dir, 'data'),
    GITLAB_SHELL_SECRET_FILE: join(dir, 'shell'),
    GITLAB_KAS_SECRET_FILE: join(dir, 'kas'),
    LOG_LEVEL: 'warn',
  });
  try {
    const seconds = (Date.now() - began) / 1000;
    await new Promise((r) => setTimeout(r, 3000));
    const figures = { start: label, ready_s: Number(seconds.toFixed(1)), ...memory(service.pid) };
    console.log(`embedded start=${label} ready_s=${figures.ready_s} peak_rss_mb=${figures.peak_rss_mb} rss_mb=${figures.rss_mb}`);
    return figures;
  } finally {
    await service.stop();
  }
}

try {
  const results = [await start('first'), await start('second')];
  const first = results[0];
  console.log(`target first start peak RSS MB: ${first.peak_rss_mb} (goal <= 500) ${first.peak_rss_mb <= 500 ? 'met' : 'NOT met'}`);
  if (jsonFile) writeFileSync(jsonFile, JSON.stringify(results, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
