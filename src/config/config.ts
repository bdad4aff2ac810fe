/**
 * The service's configuration: the only place that reads process.env.
 * Every variable is declared once here; `.env.example` is checked against this list by a test.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';

export type LicensePlan = 'free' | 'premium' | 'ultimate';

export interface GitalyStorage {
  address: string;
  token: string;
  path?: string;
}

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
}

/** Injection token for the typed configuration object. */
export const APP_CONFIG = Symbol('APP_CONFIG');

type Env = Record<string, string | undefined>;

export interface VariableSpec {
  name: string;
  default: string | undefined;
  description: string;
}

/** Every variable the service reads, in the order `.env.example` lists them. */
export const VARIABLES: VariableSpec[] = [
  { name: 'PORT', default: '3000', description: 'HTTP listener port' },
  { name: 'HOST', default: '127.0.0.1', description: 'HTTP listener address (0.0.0.0 in the container)' },
  { name: 'HTTP_ADAPTER', default: 'express', description: 'HTTP server library: express (the reference) or fastify (more requests per second, same behaviour)' },
  { name: 'DATABASE_URL', default: undefined, description: 'PostgreSQL connection string; unset = embedded PostgreSQL (PGlite) in DATA_DIR' },
  { name: 'DATA_DIR', default: './data', description: 'directory of the embedded database files' },
  { name: 'DATABASE_READ_REPLICA_URLS', default: undefined, description: 'comma-separated PostgreSQL replicas for hot-path reads' },
  { name: 'DATABASE_REPLICA_MAX_LAG_SECONDS', default: '10', description: 'a replica further behind the primary (or unreachable) gets no reads until it catches up' },
  { name: 'REDIS_URL', default: undefined, description: 'Redis for queues, counters and rate limits; unset = in-process' },
  { name: 'REDIS_PREFIX', default: 'gia', description: 'prefix of every Redis key and queue, so several deployments can share one Redis' },
  { name: 'GITLAB_SHELL_SECRET_FILE', default: '.gitlab_shell_secret', description: 'shell JWT key file (generated when missing)' },
  { name: 'GITLAB_KAS_SECRET_FILE', default: '.gitlab_kas_secret', description: 'kas JWT key file, base64 of 32 bytes (generated when missing)' },
  { name: 'GITLAB_SHELL_PREVIOUS_SECRET_FILE', default: undefined, description: 'previous shell secret, still accepted during a rotation' },
  { name: 'GITLAB_KAS_PREVIOUS_SECRET_FILE', default: undefined, description: 'previous kas secret, still accepted during a rotation' },
  { name: 'LEGACY_SHARED_SECRET_AUTH', default: 'false', description: 'accept the pre-JWT Gitlab-Shared-Secret header and secret_token parameter' },
  { name: 'ERROR_TRACKING_TOKEN', default: undefined, description: 'token of the error-tracking backend; unset = its route answers 401' },
  { name: 'ROOT_ACCESS_TOKEN', default: undefined, description: 'at start, ensure an admin user root holding this personal access token' },
  { name: 'RELATIVE_URL_ROOT', default: undefined, description: 'path prefix such as /gitlab; routes are served with and without it' },
  { name: 'EXTERNAL_URL', default: 'http://localhost:3000', description: 'public base URL (already containing RELATIVE_URL_ROOT)' },
  { name: 'GITALY_STORAGES', default: '{"default":{"address":"unix:/var/opt/gitlab/gitaly/gitaly.socket","token":""}}', description: 'JSON: storage name -> {address, token, path?}' },
  { name: 'GITLAB_SHELL_HOOKS_DIR', default: undefined, description: 'server hooks linked into new local repositories; unset = shell/hooks of this installation' },
  { name: 'DB_SKIP_MIGRATIONS', default: 'false', description: 'skip running migrations at start' },
  { name: 'LOG_LEVEL', default: 'info', description: 'pino log level (JSON logs)' },
  { name: 'METRICS_PORT', default: undefined, description: 'separate listener for GET /-/metrics; unset = served on PORT' },
  { name: 'HTTP_HEADERS_TIMEOUT_SECONDS', default: '10', description: 'a client that has not sent its request headers within this time gets 408 and is disconnected' },
  { name: 'HTTP_REQUEST_TIMEOUT_SECONDS', default: '60', description: 'a client that has not sent its whole request (headers and body) within this time gets 408 and is disconnected' },
  { name: 'HTTP_KEEP_ALIVE_TIMEOUT_SECONDS', default: '65', description: 'idle keep-alive connections are closed after this; keep it above the idle timeout of the load balancer (often 60 s)' },
  { name: 'SHUTDOWN_GRACE_SECONDS', default: '5', description: 'after SIGTERM: readiness answers 503 and new connections are still accepted for this long' },
  { name: 'SHUTDOWN_DRAIN_TIMEOUT_SECONDS', default: '30', description: 'then: the longest wait for requests already received before the process exits anyway' },
  { name: 'GITLAB_SAAS', default: 'false', description: 'behave as GitLab.com (plans per top-level namespace)' },
  { name: 'GITLAB_LICENSE_PLAN', default: 'ultimate', description: 'licensed tier when GITLAB_SAAS=false: free, premium or ultimate' },
  { name: 'SSH_HOST', default: undefined, description: 'host in SSH clone URLs; unset = host name of EXTERNAL_URL' },
  { name: 'SSH_PORT', default: '22', description: 'port in SSH clone URLs' },
  { name: 'SSH_USER', default: 'git', description: 'user in SSH clone URLs' },
  { name: 'DEFAULT_REPOSITORY_STORAGE', default: 'default', description: 'storage of new projects; a key of GITALY_STORAGES' },
  { name: 'LFS_ENABLED', default: 'true', description: 'instance-wide Git LFS switch' },
  { name: 'SSH_CERTIFICATES_ENABLED', default: 'true', description: 'false makes /authorized_certs answer "Feature is not available"' },
  { name: 'DB_KEY_BASE', default: undefined, description: 'key material for LFS tokens and OTP secrets; unset = random per start (warning)' },
  { name: 'GITLAB_VERSION', default: '17.11.0', description: 'version reported by /check' },
  { name: 'GITLAB_REVISION', default: undefined, description: 'revision reported by /check; unset = build revision or "unknown"' },
];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const BOOL_TRUE = ['true', '1', 'yes'];
const BOOL_FALSE = ['false', '0', 'no'];

class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const value = this.env[name];
    if (value !== undefined && value.trim() !== '') return value.trim();
    return VARIABLES.find((v) => v.name === name)?.default;
  }

  string(name: string): string {
    return this.raw(name) ?? '';
  }

  optional(name: string): string | undefined {
    return this.raw(name);
  }

  bool(name: string): boolean {
    const value = (this.raw(name) ?? '').toLowerCase();
    if (BOOL_TRUE.includes(value)) return true;
    if (!BOOL_FALSE.includes(value)) this.problems.push(`${name} must be true or false (got "${value}")`);
    return false;
  }

  port(name: string): number | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < 1 || n > 65535) {
      this.problems.push(`${name} must be a TCP port from 1 to 65535 (got "${value}")`);
      return undefined;
    }
    return n;
  }

  /** A whole number of seconds, at least `min`. */
  seconds(name: string, min: number): number {
    const value = this.raw(name) ?? '';
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > 86_400) {
      this.problems.push(`${name} must be a whole number of seconds from ${min} to 86400 (got "${value}")`);
      return Number(VARIABLES.find((v) => v.name === name)?.default ?? min);
    }
    return n;
  }

  url(name: string, protocols: string[]): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    try {
      const url = new URL(value);
      if (!protocols.includes(url.protocol)) throw new Error('protocol');
      return value;
    } catch {
      this.problems.push(`${name} must be a ${protocols.join(' or ')} URL (got "${redactUrl(value)}")`);
      return undefined;
    }
  }
}

function redactUrl(value: string): string {
  return value.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

function parseStorages(reader: Reader): Record<string, GitalyStorage> {
  const raw = reader.string('GITALY_STORAGES');
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    const storages: Record<string, GitalyStorage> = {};
    for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
      const v = value as Record<string, unknown>;
      if (!v || typeof v !== 'object' || typeof v.address !== 'string') throw new Error(`storage ${name} needs an address`);
      if (v.path !== undefined && (typeof v.path !== 'string' || !v.path.startsWith('/')))
        throw new Error(`storage ${name}: path must be absolute`);
      storages[name] = {
        address: v.address,
        token: typeof v.token === 'string' ? v.token : '',
        ...(typeof v.path === 'string' ? { path: v.path } : {}),
      };
    }
    if (Object.keys(storages).length === 0) throw new Error('no storage');
    return storages;
  } catch (e) {
    reader.problems.push(`GITALY_STORAGES must be a JSON object of {address, token, path?} (${(e as Error).message})`);
    return {};
  }
}

/** Reads and validates the environment. Throws ConfigError naming every bad variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  const r = new Reader(env);
  const port = r.port('PORT') ?? 3000;
  const externalUrl = (r.url('EXTERNAL_URL', ['http:', 'https:']) ?? 'http://localhost:3000').replace(/\/+$/, '');
  let relativeUrlRoot = r.optional('RELATIVE_URL_ROOT') ?? '';
  if (relativeUrlRoot) {
    relativeUrlRoot = '/' + relativeUrlRoot.replace(/^\/+|\/+$/g, '');
    if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(relativeUrlRoot)) r.problems.push(`RELATIVE_URL_ROOT must be a path such as /gitlab`);
  }
  const databaseUrl = r.url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const replicas = (r.optional('DATABASE_READ_REPLICA_URLS') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const replica of replicas) {
    if (!/^postgres(ql)?:\/\//.test(replica)) r.problems.push(`DATABASE_READ_REPLICA_URLS entries must be postgres:// URLs`);
  }
  if (replicas.length && !databaseUrl) r.problems.push('DATABASE_READ_REPLICA_URLS needs DATABASE_URL');
  const maxLagRaw = r.string('DATABASE_REPLICA_MAX_LAG_SECONDS');
  const maxLag = Number(maxLagRaw);
  if (!/^\d+(\.\d+)?$/.test(maxLagRaw) || !(maxLag > 0))
    r.problems.push(`DATABASE_REPLICA_MAX_LAG_SECONDS must be a positive number of seconds (got "${maxLagRaw}")`);
  const httpAdapter = r.string('HTTP_ADAPTER').toLowerCase();
  if (httpAdapter !== 'express' && httpAdapter !== 'fastify') r.problems.push(`HTTP_ADAPTER must be express or fastify (got "${httpAdapter}")`);
  const plan = (r.string('GITLAB_LICENSE_PLAN') || 'ultimate').toLowerCase();
  if (!['free', 'premium', 'ultimate'].includes(plan)) r.problems.push(`GITLAB_LICENSE_PLAN must be free, premium or ultimate (got "${plan}")`);
  const logLevel = r.string('LOG_LEVEL');
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel))
    r.problems.push(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "${logLevel}")`);
  const storages = parseStorages(r);
  const defaultStorage = r.string('DEFAULT_REPOSITORY_STORAGE');
  if (Object.keys(storages).length && !storages[defaultStorage])
    r.problems.push(`DEFAULT_REPOSITORY_STORAGE "${defaultStorage}" is not a key of GITALY_STORAGES`);
  let sshHost = r.optional('SSH_HOST');
  if (!sshHost) sshHost = new URL(externalUrl).hostname;
  const dbKeyBase = r.optional('DB_KEY_BASE');
  const config: AppConfig = {
    port,
    host: r.string('HOST'),
    databaseUrl,
    dataDir: r.string('DATA_DIR'),
    databaseReadReplicaUrls: replicas,
    databaseReplicaMaxLagSeconds: maxLag > 0 ? maxLag : 10,
    redisUrl: r.url('REDIS_URL', ['redis:', 'rediss:']),
    redisPrefix: r.string('REDIS_PREFIX'),
    gitlabShellSecretFile: r.string('GITLAB_SHELL_SECRET_FILE'),
    gitlabKasSecretFile: r.string('GITLAB_KAS_SECRET_FILE'),
    gitlabShellPreviousSecretFile: r.optional('GITLAB_SHELL_PREVIOUS_SECRET_FILE'),
    gitlabKasPreviousSecretFile: r.optional('GITLAB_KAS_PREVIOUS_SECRET_FILE'),
    legacySharedSecretAuth: r.bool('LEGACY_SHARED_SECRET_AUTH'),
    errorTrackingToken: r.optional('ERROR_TRACKING_TOKEN'),
    rootAccessToken: r.optional('ROOT_ACCESS_TOKEN'),
    httpAdapter: httpAdapter as HttpAdapterName,
    relativeUrlRoot,
    externalUrl,
    gitalyStorages: storages,
    gitlabShellHooksDir: resolve(r.optional('GITLAB_SHELL_HOOKS_DIR') ?? resolve(__dirname, '..', '..', 'shell', 'hooks')),
    dbSkipMigrations: r.bool('DB_SKIP_MIGRATIONS'),
    logLevel,
    metricsPort: r.port('METRICS_PORT'),
    httpHeadersTimeoutSeconds: r.seconds('HTTP_HEADERS_TIMEOUT_SECONDS', 1),
    httpRequestTimeoutSeconds: r.seconds('HTTP_REQUEST_TIMEOUT_SECONDS', 1),
    httpKeepAliveTimeoutSeconds: r.seconds('HTTP_KEEP_ALIVE_TIMEOUT_SECONDS', 1),
    shutdownGraceSeconds: r.seconds('SHUTDOWN_GRACE_SECONDS', 0),
    shutdownDrainTimeoutSeconds: r.seconds('SHUTDOWN_DRAIN_TIMEOUT_SECONDS', 1),
    gitlabSaas: r.bool('GITLAB_SAAS'),
    gitlabLicensePlan: plan as LicensePlan,
    sshHost,
    sshPort: r.port('SSH_PORT') ?? 22,
    sshUser: r.string('SSH_USER'),
    defaultRepositoryStorage: defaultStorage,
    lfsEnabled: r.bool('LFS_ENABLED'),
    sshCertificatesEnabled: r.bool('SSH_CERTIFICATES_ENABLED'),
    dbKeyBase: dbKeyBase ?? randomBytes(32).toString('hex'),
    dbKeyBaseGenerated: dbKeyBase === undefined,
    gitlabVersion: r.string('GITLAB_VERSION'),
    gitlabRevision: r.optional('GITLAB_REVISION') ?? buildRevision(),
  };
  if (config.httpHeadersTimeoutSeconds > config.httpRequestTimeoutSeconds)
    r.problems.push('HTTP_HEADERS_TIMEOUT_SECONDS must not exceed HTTP_REQUEST_TIMEOUT_SECONDS');
  if (r.problems.length) throw new ConfigError(r.problems);
  return config;
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
