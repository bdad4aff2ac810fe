import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory';
import { AppConfig, loadConfig } from '../../src/config/config';
import { seedMemoryDatabases } from '../../src/database/embedded/embedded-postgres';
import { adminQuery, withDatabase } from '../setup/db-admin';
import { checkResponse } from './contract';
import { prismEnabled, validateExchange } from './prism';
import { deleteRedisKeys } from './redis-cleanup';
import { KAS_SECRET_B64, SHELL_SECRET } from './jwt';

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  dataSource: DataSource;
  /** supertest bound to the app's HTTP server */
  http: () => ReturnType<typeof request>;
  /** Base URL of a real listener on loopback (started on demand by `listen()`). */
  listen: () => Promise<string>;
  close: () => Promise<void>;
  get<T>(token: unknown): T;
}

/** The environment of GitLab's acceptance fixtures (external URL, tokens, one Gitaly storage), overridable per test file. */
export const TEST_ENV: Record<string, string> = {
  EXTERNAL_URL: 'http://gitlab.test',
  ERROR_TRACKING_TOKEN: 'ettoken',
  GITALY_STORAGES: '{"default":{"address":"tcp://gitaly.test:8075","token":"gt"}}',
  LOG_LEVEL: 'silent',
  DB_KEY_BASE: 'test-db-key-base-0123456789abcdef',
  GITLAB_REVISION: 'abc1234',
};

/** The migrated embedded database's data directory (test/setup/global-setup.ts), read once per test file. */
let embeddedSeed: Buffer | undefined;

/**
 * Starts the real application on a fresh database: a clone of the migrated template on PostgreSQL when the
 * suite runs with DATABASE_URL, else an in-memory embedded database copied from the migrated one. Redis is
 * used when REDIS_URL is set, under a key prefix of this app alone.
 */
export async function createTestApp(env: Record<string, string | undefined> = {}, options: { logStream?: LogCapture } = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'gia-test-'));
  const shellSecretFile = join(dir, 'shell_secret');
  const kasSecretFile = join(dir, 'kas_secret');
  writeFileSync(shellSecretFile, `${SHELL_SECRET}\n`);
  writeFileSync(kasSecretFile, `${KAS_SECRET_B64}\n`);
  const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const baseUrl = process.env.DATABASE_URL;
  const template = process.env.GIA_TEMPLATE_DB;
  let databaseName: string | undefined;
  let databaseUrl: string | undefined;
  const seed = process.env.GIA_EMBEDDED_SEED;
  if (!baseUrl && seed) seedMemoryDatabases((embeddedSeed ??= readFileSync(seed)));
  if (baseUrl && template) {
    databaseName = `gia_t_${suffix}`;
    await adminQuery(baseUrl, `CREATE DATABASE "${databaseName}" TEMPLATE "${template}"`);
    databaseUrl = withDatabase(baseUrl, databaseName);
  }
  const fullEnv: Record<string, string | undefined> = {
    ...TEST_ENV,
    GITLAB_SHELL_SECRET_FILE: shellSecretFile,
    GITLAB_KAS_SECRET_FILE: kasSecretFile,
    DATABASE_URL: databaseUrl,
    DATA_DIR: 'memory://',
    REDIS_URL: process.env.REDIS_URL,
    REDIS_PREFIX: `gia_test_${suffix}`,
    // the adapter of the run (`npm run test:fastify` sets HTTP_ADAPTER=fastify)
    HTTP_ADAPTER: process.env.HTTP_ADAPTER,
    ...env,
  };
  const config = loadConfig(fullEnv);
  const app = await createApp(config, { bufferLogs: false, logStream: options.logStream });
  await app.init();
  // fastify registers its routes and hooks when ready; supertest may only then hand requests to its server
  if (config.httpAdapter === 'fastify') await (app.getHttpAdapter().getInstance() as { ready(): Promise<unknown> }).ready();
  let listening: string | undefined;
  const testApp: TestApp = {
    app,
    config,
    dataSource: app.get(DataSource),
    http: () => contractChecked(request(app.getHttpServer())),
    listen: async () => {
      if (!listening) {
        await app.listen(0, '127.0.0.1');
        const address = app.getHttpServer().address() as { port: number };
        listening = `http://127.0.0.1:${address.port}`;
      }
      return listening;
    },
    close: async () => {
      await app.close();
      // the app's own prefix only: apps given a shared REDIS_PREFIX hand their keys to the next one (the creator's
      // prefix starts it, so its close removes them)
      if (config.redisUrl && env.REDIS_PREFIX === undefined) await deleteRedisKeys(config.redisUrl, config.redisPrefix);
      if (baseUrl && databaseName) await adminQuery(baseUrl, `DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
      rmSync(dir, { recursive: true, force: true });
    },
    get: <T>(token: unknown) => app.get(token as never) as T,
  };
  return testApp;
}

/** Collects the application's log output (pass it with `LOG_LEVEL` set to read what an operator would see). */
export class LogCapture {
  private text = '';

  write(chunk: string): void {
    this.text += chunk;
  }

  /** Everything written so far, verbatim. */
  get output(): string {
    return this.text;
  }

  /** Every line parsed as JSON (a line that is not JSON fails the parse: every log line must be JSON). */
  lines(): Record<string, unknown>[] {
    return this.text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

type Agent = ReturnType<typeof request>;
type CheckedResponse = {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  text?: string;
  req?: { path: string; getHeaders(): Record<string, string | string[] | number | undefined> };
};

/** supertest whose every response is checked against the committed OpenAPI document (test/helpers/contract.ts). */
function contractChecked(agent: Agent): Agent {
  return new Proxy(agent, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof prop !== 'string' || !['get', 'post', 'put', 'patch', 'delete'].includes(prop)) return value;
      return (url: string) => {
        const test = (value as (u: string) => ReturnType<Agent['get']>).call(target, url);
        test.on('response', (res: CheckedResponse) => {
          checkResponse(prop, url, res.status, res.headers['content-type'], res.body);
          if (prismEnabled) {
            void validateExchange(
              {
                method: prop,
                url: res.req?.path ?? url,
                requestHeaders: res.req?.getHeaders() ?? {},
                requestBody: (test as unknown as { _data?: unknown })._data,
                status: res.status,
                responseHeaders: res.headers,
                responseBody: /json/.test(res.headers['content-type'] ?? '') ? res.body : res.text,
              },
              expect.getState().testPath ?? 'unknown',
            );
          }
        });
        return test;
      };
    },
  });
}
