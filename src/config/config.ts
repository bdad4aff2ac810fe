/**
 * The service's configuration: the only place that reads process.env.
 * Every variable is declared once here, in `ENV` (default, description, zod schema); `.env.example` is checked
 * against that list by a test.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { z } from 'zod';
import {
  bool,
  GitalyStorage,
  gitalyStorages,
  logLevel,
  oneOf,
  port,
  positiveSeconds,
  relativeUrlRoot,
  replicaUrls,
  seconds,
  text,
  url,
} from './env-schemas';

export type LicensePlan = 'free' | 'premium' | 'ultimate';

export type { GitalyStorage } from './env-schemas';

export type HttpAdapterName = 'express' | 'fastify';

export interface AppConfig {
  port: number;
  httpAdapter: HttpAdapterName;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  databaseReadReplicaUrls: string[];
  databaseReplicaMaxLagSeconds: number;
  redisUrl?: string;
  redisPrefix: string;
  gitlabShellSecretFile: string;
  gitlabKasSecretFile: string;
  gitlabShellPreviousSecretFile?: string;
  gitlabKasPreviousSecretFile?: string;
  legacySharedSecretAuth: boolean;
  errorTrackingToken?: string;
  rootAccessToken?: string;
  relativeUrlRoot: string;
  externalUrl: string;
  gitalyStorages: Record<string, GitalyStorage>;
  /** Directory of the server hooks linked into repositories created on local storages. */
  gitlabShellHooksDir: string;
  dbSkipMigrations: boolean;
  /** Hot-path statements run as named prepared statements (off behind a pooler that cannot keep them). */
  dbPreparedStatements: boolean;
  logLevel: string;
  metricsPort?: number;
  httpHeadersTimeoutSeconds: number;
  httpRequestTimeoutSeconds: number;
  httpKeepAliveTimeoutSeconds: number;
  shutdownGraceSeconds: number;
  shutdownDrainTimeoutSeconds: number;
  gitlabSaas: boolean;
  gitlabLicensePlan: LicensePlan;
  sshHost: string;
  sshPort: number;
  sshUser: string;
  defaultRepositoryStorage: string;
  lfsEnabled: boolean;
  sshCertificatesEnabled: boolean;
  dbKeyBase: string;
  dbKeyBaseGenerated: boolean;
  gitlabVersion: string;
  gitlabRevision: string;
  /** PATH and HOME of the process the service was started in, passed on to the git commands it runs. */
  childProcessEnv: { PATH: string; HOME: string };
}

/** Injection token for the typed configuration object. */
export const APP_CONFIG = Symbol('APP_CONFIG');

type Env = Record<string, string | undefined>;

export interface VariableSpec {
  name: string;
  default: string | undefined;
  description: string;
}

/** One variable: its default (also the value `.env.example` shows), what it does, and the schema of its value. */
const variable = <S extends z.ZodType>(defaultValue: string | undefined, description: string, schema: S) => ({
  default: defaultValue,
  description,
  schema,
});

/**
 * Every variable the service reads, in the order `.env.example` lists them. A schema receives the trimmed value, or
 * the default when the variable is unset or blank (undefined when there is none).
 */
const ENV = {
  PORT: variable('3000', 'HTTP listener port', port),
  HOST: variable('127.0.0.1', 'HTTP listener address (0.0.0.0 in the container)', text),
  HTTP_ADAPTER: variable(
    'express',
    'HTTP server library: express (the reference) or fastify (more requests per second, same behaviour)',
    oneOf(['express', 'fastify'] as const),
  ),
  V8_GC_TUNING: variable(
    'true',
    'garbage-collector settings (no pretenuring, heap growth of 30 %, a young generation kept small until listening); false = V8 defaults',
    bool,
  ),
  DATABASE_URL: variable(
    undefined,
    'PostgreSQL connection string; unset = embedded PostgreSQL (PGlite) in DATA_DIR',
    url('postgres:', 'postgresql:').optional(),
  ),
  DATA_DIR: variable('./data', 'directory of the embedded database files', text),
  DATABASE_READ_REPLICA_URLS: variable(undefined, 'comma-separated PostgreSQL replicas for hot-path reads', replicaUrls),
  DATABASE_REPLICA_MAX_LAG_SECONDS: variable(
    '10',
    'a replica further behind the primary (or unreachable) gets no reads until it catches up',
    positiveSeconds,
  ),
  REDIS_URL: variable(undefined, 'Redis for queues, counters and rate limits; unset = in-process', url('redis:', 'rediss:').optional()),
  REDIS_PREFIX: variable('gia', 'prefix of every Redis key and queue, so several deployments can share one Redis', text),
  GITLAB_SHELL_SECRET_FILE: variable('.gitlab_shell_secret', 'shell JWT key file (generated when missing)', text),
  GITLAB_KAS_SECRET_FILE: variable('.gitlab_kas_secret', 'kas JWT key file, base64 of 32 bytes (generated when missing)', text),
  GITLAB_SHELL_PREVIOUS_SECRET_FILE: variable(undefined, 'previous shell secret, still accepted during a rotation', text.optional()),
  GITLAB_KAS_PREVIOUS_SECRET_FILE: variable(undefined, 'previous kas secret, still accepted during a rotation', text.optional()),
  LEGACY_SHARED_SECRET_AUTH: variable('false', 'accept the pre-JWT Gitlab-Shared-Secret header and secret_token parameter', bool),
  ERROR_TRACKING_TOKEN: variable(undefined, 'token of the error-tracking backend; unset = its route answers 401', text.optional()),
  ROOT_ACCESS_TOKEN: variable(undefined, 'at start, ensure an admin user root holding this personal access token', text.optional()),
  RELATIVE_URL_ROOT: variable(undefined, 'path prefix such as /gitlab; routes are served with and without it', relativeUrlRoot),
  EXTERNAL_URL: variable(
    'http://localhost:3000',
    'public base URL (already containing RELATIVE_URL_ROOT)',
    url('http:', 'https:').transform((v) => v.replace(/\/+$/, '')),
  ),
  GITALY_STORAGES: variable(
    '{"default":{"address":"unix:/var/opt/gitlab/gitaly/gitaly.socket","token":""}}',
    'JSON: storage name -> {address, token, path?}',
    gitalyStorages,
  ),
  GITLAB_SHELL_HOOKS_DIR: variable(
    undefined,
    'server hooks linked into new local repositories; unset = shell/hooks of this installation',
    text.optional(),
  ),
  DB_SKIP_MIGRATIONS: variable('false', 'skip running migrations at start', bool),
  DB_PREPARED_STATEMENTS: variable(
    'true',
    'run the hot-path statements (/allowed, /authorized_keys) as named prepared statements; false behind a connection pooler that cannot keep them (PgBouncer before 1.21 in transaction mode)',
    bool,
  ),
  LOG_LEVEL: variable('info', 'pino log level (JSON logs)', logLevel),
  METRICS_PORT: variable(undefined, 'separate listener for GET /-/metrics; unset = served on PORT', port.optional()),
  HTTP_HEADERS_TIMEOUT_SECONDS: variable(
    '10',
    'a client that has not sent its request headers within this time gets 408 and is disconnected',
    seconds(1),
  ),
  HTTP_REQUEST_TIMEOUT_SECONDS: variable(
    '60',
    'a client that has not sent its whole request (headers and body) within this time gets 408 and is disconnected',
    seconds(1),
  ),
  HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: variable(
    '65',
    'idle keep-alive connections are closed after this; keep it above the idle timeout of the load balancer (often 60 s)',
    seconds(1),
  ),
  SHUTDOWN_GRACE_SECONDS: variable(
    '5',
    'after SIGTERM: readiness answers 503 and new connections are still accepted for this long',
    seconds(0),
  ),
  SHUTDOWN_DRAIN_TIMEOUT_SECONDS: variable(
    '30',
    'then: the longest wait for requests already received before the process exits anyway',
    seconds(1),
  ),
  GITLAB_SAAS: variable('false', 'behave as GitLab.com (plans per top-level namespace)', bool),
  GITLAB_LICENSE_PLAN: variable(
    'ultimate',
    'licensed tier when GITLAB_SAAS=false: free, premium or ultimate',
    oneOf(['free', 'premium', 'ultimate'] as const),
  ),
  SSH_HOST: variable(undefined, 'host in SSH clone URLs; unset = host name of EXTERNAL_URL', text.optional()),
  SSH_PORT: variable('22', 'port in SSH clone URLs', port),
  SSH_USER: variable('git', 'user in SSH clone URLs', text),
  DEFAULT_REPOSITORY_STORAGE: variable('default', 'storage of new projects; a key of GITALY_STORAGES', text),
  LFS_ENABLED: variable('true', 'instance-wide Git LFS switch', bool),
  SSH_CERTIFICATES_ENABLED: variable('true', 'false makes /authorized_certs answer "Feature is not available"', bool),
  DB_KEY_BASE: variable(undefined, 'key material for LFS tokens and OTP secrets; unset = random per start (warning)', text.optional()),
  GITLAB_VERSION: variable('17.11.0', 'version reported by /check', text),
  GITLAB_REVISION: variable(undefined, 'revision reported by /check; unset = build revision or "unknown"', text.optional()),
};

type EnvName = keyof typeof ENV;
type EnvShape = { [K in EnvName]: (typeof ENV)[K]['schema'] };

/** Every variable the service reads, in the order `.env.example` lists them. */
export const VARIABLES: VariableSpec[] = Object.entries(ENV).map(([name, v]) => ({ name, default: v.default, description: v.description }));

/**
 * `V8_GC_TUNING`, read on its own before the rest of the configuration (the GC flags must be set before the
 * application allocates); an invalid value counts as the default here and fails `loadConfig` afterwards.
 */
export function gcTuningEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = env.V8_GC_TUNING?.trim() || ENV.V8_GC_TUNING.default;
  const parsed = ENV.V8_GC_TUNING.schema.safeParse(raw);
  return parsed.success ? parsed.data : true;
}

/** A rule across variables runs only when the variables it reads are valid on their own. */
const whenValid =
  (...names: EnvName[]) =>
  (payload: { issues: readonly { path?: readonly PropertyKey[] }[] }) =>
    !payload.issues.some((issue) => names.includes(issue.path?.[0] as EnvName));

const ENV_SCHEMA = z
  .object(Object.fromEntries(Object.entries(ENV).map(([name, v]) => [name, v.schema])) as EnvShape)
  .refine((e) => e.DATABASE_READ_REPLICA_URLS.length === 0 || e.DATABASE_URL !== undefined, {
    path: ['DATABASE_READ_REPLICA_URLS'],
    error: 'needs DATABASE_URL',
    when: whenValid('DATABASE_READ_REPLICA_URLS', 'DATABASE_URL'),
  })
  .refine((e) => e.GITALY_STORAGES[e.DEFAULT_REPOSITORY_STORAGE] !== undefined, {
    path: ['DEFAULT_REPOSITORY_STORAGE'],
    error: (issue) =>
      `"${(issue.input as { DEFAULT_REPOSITORY_STORAGE: string }).DEFAULT_REPOSITORY_STORAGE}" is not a key of GITALY_STORAGES`,
    when: whenValid('GITALY_STORAGES', 'DEFAULT_REPOSITORY_STORAGE'),
  })
  .refine((e) => e.HTTP_HEADERS_TIMEOUT_SECONDS <= e.HTTP_REQUEST_TIMEOUT_SECONDS, {
    path: ['HTTP_HEADERS_TIMEOUT_SECONDS'],
    error: 'must not exceed HTTP_REQUEST_TIMEOUT_SECONDS',
    when: whenValid('HTTP_HEADERS_TIMEOUT_SECONDS', 'HTTP_REQUEST_TIMEOUT_SECONDS'),
  });

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads and validates the environment. Throws ConfigError naming every bad variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  const input: Env = {};
  for (const { name, default: fallback } of VARIABLES) {
    const value = env[name]?.trim();
    input[name] = value ? value : fallback;
  }
  const parsed = ENV_SCHEMA.safeParse(input);
  // every message names its variable first: "PORT must be a TCP port from 1 to 65535 (got "abc")"
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`));
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    httpAdapter: e.HTTP_ADAPTER,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    databaseReadReplicaUrls: e.DATABASE_READ_REPLICA_URLS,
    databaseReplicaMaxLagSeconds: e.DATABASE_REPLICA_MAX_LAG_SECONDS,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    gitlabShellSecretFile: e.GITLAB_SHELL_SECRET_FILE,
    gitlabKasSecretFile: e.GITLAB_KAS_SECRET_FILE,
    gitlabShellPreviousSecretFile: e.GITLAB_SHELL_PREVIOUS_SECRET_FILE,
    gitlabKasPreviousSecretFile: e.GITLAB_KAS_PREVIOUS_SECRET_FILE,
    legacySharedSecretAuth: e.LEGACY_SHARED_SECRET_AUTH,
    errorTrackingToken: e.ERROR_TRACKING_TOKEN,
    rootAccessToken: e.ROOT_ACCESS_TOKEN,
    relativeUrlRoot: e.RELATIVE_URL_ROOT,
    externalUrl: e.EXTERNAL_URL,
    gitalyStorages: e.GITALY_STORAGES,
    gitlabShellHooksDir: resolve(e.GITLAB_SHELL_HOOKS_DIR ?? resolve(__dirname, '..', '..', 'shell', 'hooks')),
    dbSkipMigrations: e.DB_SKIP_MIGRATIONS,
    dbPreparedStatements: e.DB_PREPARED_STATEMENTS,
    logLevel: e.LOG_LEVEL,
    metricsPort: e.METRICS_PORT,
    httpHeadersTimeoutSeconds: e.HTTP_HEADERS_TIMEOUT_SECONDS,
    httpRequestTimeoutSeconds: e.HTTP_REQUEST_TIMEOUT_SECONDS,
    httpKeepAliveTimeoutSeconds: e.HTTP_KEEP_ALIVE_TIMEOUT_SECONDS,
    shutdownGraceSeconds: e.SHUTDOWN_GRACE_SECONDS,
    shutdownDrainTimeoutSeconds: e.SHUTDOWN_DRAIN_TIMEOUT_SECONDS,
    gitlabSaas: e.GITLAB_SAAS,
    gitlabLicensePlan: e.GITLAB_LICENSE_PLAN,
    sshHost: e.SSH_HOST ?? new URL(e.EXTERNAL_URL).hostname,
    sshPort: e.SSH_PORT,
    sshUser: e.SSH_USER,
    defaultRepositoryStorage: e.DEFAULT_REPOSITORY_STORAGE,
    lfsEnabled: e.LFS_ENABLED,
    sshCertificatesEnabled: e.SSH_CERTIFICATES_ENABLED,
    dbKeyBase: e.DB_KEY_BASE ?? randomBytes(32).toString('hex'),
    dbKeyBaseGenerated: e.DB_KEY_BASE === undefined,
    gitlabVersion: e.GITLAB_VERSION,
    gitlabRevision: e.GITLAB_REVISION ?? buildRevision(),
    childProcessEnv: childProcessEnv(),
  };
}

/**
 * Not configuration variables: the PATH and HOME of the service's own process (whatever `env` the configuration
 * was read from), which child processes inherit.
 */
function childProcessEnv(): { PATH: string; HOME: string } {
  return { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };
}

function buildRevision(): string {
  try {
    // written by the build (scripts/write-revision) when a git checkout is available
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const rev = require('../revision.json') as { revision?: string };
    return rev.revision || 'unknown';
  } catch {
    return 'unknown';
  }
}
