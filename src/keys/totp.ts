import { createHmac, randomBytes } from 'node:crypto';

/** TOTP of RFC 6238 as GitLab (ROTP / devise-two-factor) uses it: HMAC-SHA1, 6 digits, 30 s steps, T0 = 0. */
export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A base32 OTP secret as the admin route accepts it: A–Z and 2–7, 16 to 64 characters. */
export function isValidOtpSecret(secret: string): boolean {
  return /^[A-Z2-7]{16,64}$/.test(secret);
}

/** RFC 4648 base32 (no padding) → bytes; characters outside the alphabet are ignored. */
export function base32Decode(secret: string): Buffer {
  const clean = secret.toUpperCase().replace(/[^A-Z2-7]/g, '');
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    value = (value << 5) | BASE32_ALPHABET.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** 32 random base32 characters (160 bits), from a CSPRNG. */
export function generateOtpSecret(length = 32): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += BASE32_ALPHABET[b & 31];
  return out;
}

/** HOTP (RFC 4226) of a counter with a raw key. */
export function hotp(key: Buffer, counter: number, digits = TOTP_DIGITS, algorithm: 'sha1' | 'sha256' | 'sha512' = 'sha1'): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, key).update(message).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return binary.toString().padStart(digits, '0');
}

/** The time step of a moment (seconds since the epoch, T0 = 0). */
export function timeStep(unixSeconds: number): number {
  return Math.floor(unixSeconds / TOTP_STEP_SECONDS);
}

/** The code of a base32 secret at a time step. */
export function totpCode(secret: string, step: number): string {
  return hotp(base32Decode(secret), step);
}

/**
 * Verifies a 6-digit attempt against steps T−1, T, T+1 that are later than the last consumed step; the
 * matched step, or null. Comparison of each candidate is over fixed-length strings.
 */
export function verifyTotp(secret: string, attempt: string, nowSeconds: number, consumedStep: number | null): number | null {
  if (!/^\d{6}$/.test(attempt)) return null;
  const key = base32Decode(secret);
  const current = timeStep(nowSeconds);
  let matched: number | null = null;
  for (const step of [current - 1, current, current + 1]) {
    if (consumedStep !== null && step <= consumedStep) continue;
    if (hotp(key, step) === attempt && matched === null) matched = step;
  }
  return matched;
}
