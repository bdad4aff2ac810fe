import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** `glagent-` + 50 characters of the URL-safe alphabet from a CSPRNG (64 symbols: no modulo bias). */
export function generateAgentToken(): string {
  const bytes = randomBytes(50);
  let out = 'glagent-';
  for (const b of bytes) out += ALPHABET[b % 64];
  return out;
}
