import { DynamicModule, Global, Inject, Injectable, LoggerService, Module } from '@nestjs/common';
import type { DestinationStream, Level, Logger } from 'pino';
import { AppConfig } from '../config/config';
import { createRootLogger } from './logging';

/** The process's pino logger (`createRootLogger`): the request log and Nest's logger both write through it. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/**
 * Nest's `LoggerService` over pino, so that `new Logger('Context').warn({ fields }, 'message')` is one JSON line
 * `{"context":"Context", ...fields, "msg":"message"}`. Nest passes the context as the last argument.
 */
@Injectable()
export class AppLogger implements LoggerService {
  constructor(@Inject(ROOT_LOGGER) readonly pino: Logger) {}

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, optional: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    let rest = optional;
    if (optional.length > 0) {
      fields.context = optional[optional.length - 1];
      rest = optional.slice(0, -1);
    }
    const log = this.pino[level].bind(this.pino) as (obj: object, msg?: string, ...args: unknown[]) => void;
    if (message !== null && typeof message === 'object') {
      if (message instanceof Error) fields.err = message;
      else Object.assign(fields, message);
      log(fields, ...(rest as [string?]));
    } else if (
      level === 'error' &&
      typeof message === 'string' &&
      rest.length === 1 &&
      typeof rest[0] === 'string' &&
      /\n\s*at /.test(rest[0])
    ) {
      // Nest's exception handlers call error(message, stack, context)
      const err = new Error(message);
      err.stack = rest[0];
      log({ ...fields, err });
    } else {
      log(fields, String(message), ...rest);
    }
  }
}

/** Provides the root pino logger and Nest's logger over it to every module. */
@Global()
@Module({})
export class LoggingModule {
  /** `stream`: where the JSON lines go instead of standard output (tests read them there). */
  static forRoot(config: AppConfig, stream?: DestinationStream): DynamicModule {
    return {
      module: LoggingModule,
      providers: [{ provide: ROOT_LOGGER, useValue: createRootLogger(config, stream) }, AppLogger],
      exports: [ROOT_LOGGER, AppLogger],
    };
  }
}
