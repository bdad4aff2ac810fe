/**
 * What the service does before and around Nest's start, so that every line it writes is one pino JSON line,
 * in order, and a start that cannot succeed ends with one line naming the cause (exit 1) instead of a stack
 * trace or a minute of retries.
 */
import { INestApplication, Logger as NestLogger, LoggerService } from '@nestjs/common';
import { Client } from 'pg';
import pino from 'pino';
import { loadJwtSecrets, SecretFileError } from '../auth/secret-files';
import { withTimeout } from '../common/deadline';
import { AppConfig, ConfigError, loadConfig } from '../config/config';
import { AppLogger } from '../http/app-logger';

/** How long the service waits for a DATABASE_URL server before giving up at start. */
export const DATABASE_CONNECT_TIMEOUT_MS = 5_000;

/** A pino logger writing synchronously to stdout: nothing is lost at exit and nothing overtakes it. */
function syncLogger(level: string) {
  return pino({ level }, pino.destination({ fd: 1, sync: true }));
}

/** Fatal start-up problems are written whatever LOG_LEVEL says (even `silent`). */
const fatalLog = syncLogger('fatal');

export function exitWithError(msg: string, fields: Record<string, unknown> = {}): never {
  fatalLog.fatal(fields, msg);
  process.exit(1);
}

/**
 * Nest's own logger until the application's pino logger takes over (`app.useLogger`): Nest's start lines, and
 * the lines of a start that fails before, come out as JSON instead of through Nest's coloured text logger.
 */
class StartupNestLogger implements LoggerService {
  constructor(private readonly pino: pino.Logger) {}
  log(message: unknown, ...rest: unknown[]) {
    this.write('info', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]) {
    this.write('fatal', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    // Nest passes (message, stack?, context?)
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const stack = typeof rest[0] === 'string' ? rest[0] : undefined;
    const err = message instanceof Error ? message : undefined;
    this.pino.error({ context, ...(err ? { err } : stack ? { stack } : {}) }, err ? err.message : String(message));
  }
  private write(level: pino.Level, message: unknown, rest: unknown[]) {
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? rest[rest.length - 1] : undefined;
    if (message !== null && typeof message === 'object') this.pino[level]({ context, ...(message as object) });
    else this.pino[level]({ context }, String(message));
  }
}

/** The configuration, or one fatal line listing what is wrong. */
export function loadConfigOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) exitWithError(`invalid configuration: ${err.problems.join('; ')}`, { problems: err.problems });
    throw err;
  }
}

/** A connection string with its password (and any password parameter) replaced by `*****`. */
export function maskDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '*****';
    for (const key of [...u.searchParams.keys()]) if (/password/i.test(key)) u.searchParams.set(key, '*****');
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** Resolves when the server answers a query within `timeoutMs`; rejects with the driver's error otherwise. */
export async function checkDatabaseReachable(url: string, timeoutMs = DATABASE_CONNECT_TIMEOUT_MS): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  client.on('error', () => undefined);
  try {
    await withTimeout(
      client.connect().then(() => client.query('SELECT 1')),
      timeoutMs,
      `no answer within ${timeoutMs / 1000} s`,
    );
  } finally {
    void client.end().catch(() => undefined);
  }
}

function describeError(err: unknown): string {
  const e = err as NodeJS.ErrnoException & { errors?: Error[] };
  if (!e?.message && Array.isArray(e?.errors)) return e.errors.map((x) => x.message).join('; ');
  return e?.message || String(err);
}

/**
 * The checks that need no Nest: configuration, secret files, and a reachable DATABASE_URL. Each failure is one
 * fatal JSON line and exit 1. Nest's logger is then pointed at JSON output for the rest of the start.
 */
export async function prepareStart(): Promise<AppConfig> {
  const config = loadConfigOrExit();
  NestLogger.overrideLogger(new StartupNestLogger(syncLogger(config.logLevel)));
  try {
    loadJwtSecrets(config);
  } catch (err) {
    if (err instanceof SecretFileError) exitWithError(err.message, { variable: err.variable, path: err.path });
    throw err;
  }
  if (config.databaseUrl) {
    try {
      await checkDatabaseReachable(config.databaseUrl);
    } catch (err) {
      const masked = maskDatabaseUrl(config.databaseUrl);
      exitWithError(`DATABASE_URL ${masked} is unreachable: ${describeError(err)}`, { variable: 'DATABASE_URL', url: masked });
    }
  }
  return config;
}

/** "listening" and the start-up warnings go through the application's logger, after Nest's own lines. */
export function announceListening(app: INestApplication, config: AppConfig): void {
  const logger = app.get(AppLogger);
  logger.log(`listening on http://${config.host}:${config.port}`, 'Main');
  if (config.dbKeyBaseGenerated)
    logger.warn('DB_KEY_BASE is unset: a random key is used; LFS tokens and OTP secrets will not survive a restart', 'Main');
}

/** A start that failed after Nest took over: one fatal line through the application's logger when it exists. */
export function startFailed(err: unknown, app?: INestApplication): never {
  const msg = `failed to start: ${describeError(err)}`;
  if (app) {
    try {
      app.get(AppLogger).fatal({ msg, err }, 'Main');
      process.exit(1);
    } catch {
      // fall through to the synchronous logger
    }
  }
  exitWithError(msg, err instanceof Error ? { err } : {});
}
