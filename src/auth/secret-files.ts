import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const logger = new Logger('Secrets');

/**
 * Reads a secret file trimmed of surrounding whitespace; when it does not exist, writes a new one first
 * (as GitLab does at install): `generate` makes its content.
 */
export function readOrCreateSecretFile(path: string, generate: () => string): string {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, generate() + '\n', { mode: 0o600 });
    chmodSync(path, 0o600);
    logger.warn(`generated a new secret file ${path}`);
  }
  return readFileSync(path, 'utf8').trim();
}

export function readSecretFile(path: string): string {
  return readFileSync(path, 'utf8').trim();
}

export const generateShellSecret = () => randomBytes(16).toString('hex');
export const generateKasSecret = () => randomBytes(32).toString('base64');
