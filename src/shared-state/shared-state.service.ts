import { Inject, Injectable, OnApplicationShutdown, Optional } from '@nestjs/common';
import Redis from 'ioredis';
import { withTimeout } from '../common/deadline';
import { REDIS_COMMAND_TIMEOUT_MS, sharedPing } from './redis';

export const REDIS_CLIENT = Symbol('REDIS_CLIENT');
/** Optional: the bound of one command in ms (REDIS_COMMAND_TIMEOUT_MS when not provided). */
export const REDIS_COMMAND_TIMEOUT = Symbol('REDIS_COMMAND_TIMEOUT');

/**
 * Short-lived shared state: counters, one-shot values and rate-limit windows. In Redis when
 * REDIS_URL is set, so every instance sees the same values; otherwise in this process, with the same
 * semantics including expiry (the service must then run as a single instance).
 */
export abstract class SharedState {
  /** INCR and (re)set the TTL; returns the new value. */
  abstract incr(key: string, ttlSeconds: number): Promise<number>;
  /**
   * INCR where only the increment that creates the key sets its TTL: the count covers `ttlSeconds` from the first
   * increment, however often it is counted up meanwhile. Returns the new value.
   */
  abstract incrInWindow(key: string, ttlSeconds: number): Promise<number>;
  /** DECR; deletes the key when the result is below zero. Returns the new value. */
  abstract decr(key: string): Promise<number>;
  abstract get(key: string): Promise<string | null>;
  abstract set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** GET and DEL at once. */
  abstract getDel(key: string): Promise<string | null>;
  abstract del(key: string): Promise<void>;
  /** Whether a Redis is configured and answers PING within the timeout. */
  abstract redisAvailable(timeoutMs: number): Promise<boolean>;
}

/** After a failed Redis command, further commands fail at once for this long instead of waiting again. */
export const REDIS_BACKOFF_MS = 2000;

/**
 * Every command is bounded (REDIS_COMMAND_TIMEOUT_MS; no offline queue), and after a failure the next
 * REDIS_BACKOFF_MS fail at once, so one request never waits on Redis more than one command timeout.
 */
@Injectable()
export class RedisSharedState extends SharedState implements OnApplicationShutdown {
  private unavailableUntil = 0;
  private readonly ping: (timeoutMs: number) => Promise<boolean>;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Optional() @Inject(REDIS_COMMAND_TIMEOUT) private readonly commandTimeoutMs: number = REDIS_COMMAND_TIMEOUT_MS,
  ) {
    super();
    this.ping = sharedPing(redis);
  }

  private async call<T>(command: () => Promise<T>): Promise<T> {
    if (Date.now() < this.unavailableUntil) throw new Error('Redis unavailable (a recent command failed)');
    try {
      return await withTimeout(command(), this.commandTimeoutMs, `Redis did not answer within ${this.commandTimeoutMs} ms`);
    } catch (err) {
      this.unavailableUntil = Date.now() + REDIS_BACKOFF_MS;
      throw err;
    }
  }

  incr(key: string, ttlSeconds: number): Promise<number> {
    return this.call(async () => {
      const result = await this.redis.multi().incr(key).expire(key, ttlSeconds).exec();
      const [err, value] = result![0];
      if (err) throw err;
      return Number(value);
    });
  }

  incrInWindow(key: string, ttlSeconds: number): Promise<number> {
    // atomic: a key is never left without its TTL
    return this.call(async () => {
      const value = (await this.redis.eval(
        `local v = redis.call('INCR', KEYS[1]) if v == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return v`,
        1,
        key,
        ttlSeconds,
      )) as number;
      return Number(value);
    });
  }

  decr(key: string): Promise<number> {
    // atomic: a negative result removes the key in the same step
    return this.call(async () => {
      const value = (await this.redis.eval(
        `local v = redis.call('DECR', KEYS[1]) if v < 0 then redis.call('DEL', KEYS[1]) end return v`,
        1,
        key,
      )) as number;
      return Number(value);
    });
  }

  get(key: string): Promise<string | null> {
    return this.call(() => this.redis.get(key));
  }

  set(key: string, value: string, ttlSeconds: number): Promise<void> {
    return this.call(async () => void (await this.redis.set(key, value, 'EX', ttlSeconds)));
  }

  getDel(key: string): Promise<string | null> {
    return this.call(
      async () =>
        (await this.redis.eval(`local v = redis.call('GET', KEYS[1]) redis.call('DEL', KEYS[1]) return v`, 1, key)) as string | null,
    );
  }

  del(key: string): Promise<void> {
    return this.call(async () => void (await this.redis.del(key)));
  }

  redisAvailable(timeoutMs: number): Promise<boolean> {
    return this.ping(timeoutMs);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

interface Entry {
  value: string;
  expiresAt: number;
}

@Injectable()
export class InProcessSharedState extends SharedState {
  private readonly entries = new Map<string, Entry>();

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  async incr(key: string, ttlSeconds: number): Promise<number> {
    return this.increment(key, ttlSeconds, true);
  }

  async incrInWindow(key: string, ttlSeconds: number): Promise<number> {
    return this.increment(key, ttlSeconds, false);
  }

  /** Adds one; the TTL starts again when `renewTtl`, else only with the increment that creates the key. */
  private increment(key: string, ttlSeconds: number, renewTtl: boolean): number {
    const entry = this.live(key);
    const value = Number(entry?.value ?? 0) + 1;
    const expiresAt = entry && !renewTtl ? entry.expiresAt : Date.now() + ttlSeconds * 1000;
    this.entries.set(key, { value: String(value), expiresAt });
    return value;
  }

  async decr(key: string): Promise<number> {
    const entry = this.live(key);
    const value = Number(entry?.value ?? 0) - 1;
    if (value < 0) this.entries.delete(key);
    else this.entries.set(key, { value: String(value), expiresAt: entry?.expiresAt ?? Number.MAX_SAFE_INTEGER });
    return value;
  }

  async get(key: string): Promise<string | null> {
    return this.live(key)?.value ?? null;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.entries.set(key, { value, expiresAt: Date.now() + ttlSeconds * 1000 });
  }

  async getDel(key: string): Promise<string | null> {
    const value = this.live(key)?.value ?? null;
    this.entries.delete(key);
    return value;
  }

  async del(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async redisAvailable(): Promise<boolean> {
    return false;
  }
}
