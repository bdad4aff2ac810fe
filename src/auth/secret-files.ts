import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AppConfig } from '../config/config';

const logger = new Logger('Secrets');

/** A secret file that cannot be used: its message is one line naming the variable and the path. */
export class SecretFileError extends Error {
  constructor(
    readonly variable: string,
    readonly path: string,
    problem: string,
  ) {
    super(`${variable}: ${path} ${problem}`);
    this.name = 'SecretFileError';
  }
}

export interface SecretFile {
  /** The environment variable that names the file, e.g. GITLAB_SHELL_SECRET_FILE. */
  variable: string;
  path: string;
}

const REASONS: Record<string, string> = {
  ENOENT: 'does not exist',
  EISDIR: 'is a directory, not a file',
  EACCES: 'cannot be read (permission denied)',
  EPERM: 'cannot be read (operation not permitted)',
  ENOTDIR: 'is not a file (a component of the path is not a directory)',
  ELOOP: 'cannot be read (too many symbolic links)',
};

function describe(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  return REASONS[code] ?? `cannot be read (${code || (err as Error).message})`;
}

/** The file's content trimmed of surrounding whitespace; refuses a missing, unreadable or blank file. */
function readTrimmed(file: SecretFile): string {
  let content: string;
  try {
    content = readFileSync(file.path, 'utf8');
  } catch (err) {
    throw new SecretFileError(file.variable, file.path, describe(err));
  }
  const trimmed = content.trim();
  if (!trimmed) throw new SecretFileError(file.variable, file.path, 'is empty or holds only whitespace: it must hold the secret');
  return trimmed;
}

/** Writes a new secret file when (and only when) none exists at the path, as GitLab does at install. */
function createIfMissing(file: SecretFile, generate: () => string): void {
  try {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, generate() + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw new SecretFileError(file.variable, file.path, `does not exist and cannot be created (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  chmodSync(file.path, 0o600);
  logger.warn(`generated a new secret file ${file.path} (${file.variable})`);
}

/** The shell secret: any non-blank text, used as the HS256 key as written (trimmed). */
export function readShellSecret(file: SecretFile, options: { create: boolean }): string {
  if (options.create) createIfMissing(file, generateShellSecret);
  return readTrimmed(file);
}

/** The kas secret: the base64 encoding of exactly 32 bytes. */
export function readKasSecret(file: SecretFile, options: { create: boolean }): Buffer {
  if (options.create) createIfMissing(file, generateKasSecret);
  const content = readTrimmed(file);
  const key = Buffer.from(content, 'base64');
  if (key.length !== 32 || !/^[A-Za-z0-9+/]+={0,2}$/.test(content))
    throw new SecretFileError(file.variable, file.path, `must hold the base64 encoding of 32 bytes (found ${key.length} bytes)`);
  return key;
}

export interface JwtSecrets {
  shell: string;
  shellPrevious?: string;
  kas: Buffer;
  kasPrevious?: Buffer;
}

/**
 * Every configured secret file, checked: the current shell and kas files are generated when missing; the
 * previous ones (rotation) must exist. The legacy shared secret is the shell secret, so it is checked with it.
 * Throws SecretFileError for the first file that cannot be used.
 */
export function loadJwtSecrets(config: AppConfig): JwtSecrets {
  const shell = readShellSecret({ variable: 'GITLAB_SHELL_SECRET_FILE', path: config.gitlabShellSecretFile }, { create: true });
  const kas = readKasSecret({ variable: 'GITLAB_KAS_SECRET_FILE', path: config.gitlabKasSecretFile }, { create: true });
  const secrets: JwtSecrets = { shell, kas };
  if (config.gitlabShellPreviousSecretFile)
    secrets.shellPrevious = readShellSecret({ variable: 'GITLAB_SHELL_PREVIOUS_SECRET_FILE', path: config.gitlabShellPreviousSecretFile }, { create: false });
  if (config.gitlabKasPreviousSecretFile)
    secrets.kasPrevious = readKasSecret({ variable: 'GITLAB_KAS_PREVIOUS_SECRET_FILE', path: config.gitlabKasPreviousSecretFile }, { create: false });
  return secrets;
}

export const generateShellSecret = () => randomBytes(16).toString('hex');
export const generateKasSecret = () => randomBytes(32).toString('base64');
