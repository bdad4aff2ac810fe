#!/usr/bin/env node
// `npm start`: builds dist/ only when it is missing or older than what it is built from (src/, the TypeScript
// and Nest settings, the installed dependencies), so every start after the first runs the service at once.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const STAMP = join('dist', '.build-stamp');
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json', 'package.json', 'package-lock.json'];

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs; // a deleted or renamed file changes its directory
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
  return max;
}

const built = existsSync(STAMP) && existsSync(join('dist', 'main.js')) ? statSync(STAMP).mtimeMs : 0;
const changed = Math.max(...INPUTS.map(newest));
if (built > changed) process.exit(0);

process.stdout.write(JSON.stringify({ level: 30, time: Date.now(), msg: built ? 'sources changed since the last build: building dist/' : 'building dist/ (first start)' }) + '\n');
const started = Date.now();
const result = spawnSync(process.execPath, [join('node_modules', '@nestjs', 'cli', 'bin', 'nest.js'), 'build'], { stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(STAMP, `${new Date(started).toISOString()}\n`);
// dated when the build began: a source saved during the build makes the next start build again
utimesSync(STAMP, new Date(started), new Date(started));
