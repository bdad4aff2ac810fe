#!/usr/bin/env node
// `npm start`: builds dist/ only when it is missing or older than what it is built from (src/, the TypeScript
// and Nest settings, the installed dependencies), so every start after the first runs the service at once.
// Any build (`npm run build`, `npm test`) rewrites dist/main.js, whose age is the build's age.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const BUILT = join('dist', 'main.js');
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json', 'package.json', 'package-lock.json'];

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs; // a deleted or renamed file changes its directory
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
  return max;
}

const built = existsSync(BUILT) ? statSync(BUILT).mtimeMs : 0;
if (built > Math.max(...INPUTS.map(newest))) process.exit(0);

process.stdout.write(JSON.stringify({ level: 30, time: Date.now(), msg: built ? 'sources changed since the last build: building dist/' : 'building dist/ (first start)' }) + '\n');
const result = spawnSync(process.execPath, [join('node_modules', '@nestjs', 'cli', 'bin', 'nest.js'), 'build'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
