import { randomBytes, scrypt } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number }) => Promise<Buffer>;

/**
 * Password digest for `users.encrypted_password`. The product never checks passwords (no route logs in with
 * one); the digest is scrypt in a self-describing `$scrypt$N$r$p$salt$hash` form until a bcrypt library is
 * part of the dependencies (see docs/decisions.md, Admin).
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const N = 16384;
  const r = 8;
  const p = 1;
  const hash = await scryptAsync(password, salt, 32, { N, r, p });
  return `$scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}
