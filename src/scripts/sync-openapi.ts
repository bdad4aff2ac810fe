/**
 * Writes openapi/openapi.json from the compiled application (the swagger CLI plugin runs under `nest build`),
 * without a database or a listener: the Nest container is built in preview mode, where no provider runs.
 * Keys are sorted so the committed document diffs cleanly. `--check` compares instead of writing.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOpenApiDocument } from '../app.factory';
import { AppModule } from '../app.module';
import { loadConfig } from '../config/config';

export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export async function generateOpenApi(): Promise<string> {
  const config = loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: 'memory://' });
  const app = await NestFactory.create(AppModule.forRoot(config), { preview: true, logger: false, abortOnError: false });
  const document = buildOpenApiDocument(app);
  await app.close();
  return JSON.stringify(sortKeys(document), null, 2) + '\n';
}

async function main(): Promise<void> {
  const target = join(__dirname, '..', '..', 'openapi', 'openapi.json');
  const fresh = await generateOpenApi();
  if (process.argv.includes('--check')) {
    const committed = readFileSync(target, 'utf8');
    if (committed !== fresh) {
      process.stderr.write('openapi/openapi.json differs from the code: run `npm run openapi` and commit the result\n');
      process.exit(1);
    }
    process.stdout.write('openapi/openapi.json matches the code\n');
    return;
  }
  writeFileSync(target, fresh);
  process.stdout.write(`wrote ${target}\n`);
}

if (require.main === module) void main();
