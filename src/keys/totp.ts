import { HOTP, Secret } from 'otpauth';

/** TOTP of RFC 6238 as GitLab (ROTP / devise-two-factor) uses it: HMAC-SHA1, 6 digits, 30 s steps, T0 = 0. */
export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;

/** A base32 OTP secret as the admin route accepts it: A–Z and 2–7, 16 to 64 characters. */
export function isValidOtpSecret(secret: string): boolean {
  return /^[A-Z2-7]{16,64}$/.test(secret);
}

/** RFC 4648 base32 (no padding) → bytes; characters outside the alphabet are ignored. */
export function base32Decode(secret: string): Buffer {
  return Buffer.from(Secret.fromBase32(secret.toUpperCase().replace(/[^A-Z2-7]/g, '')).bytes);
}

/** `length` random base32 characters (32 by default: 160 bits), from a CSPRNG. */
export function generateOtpSecret(length = 32): string {
  return new Secret({ size: Math.ceil((length * 5) / 8) }).base32.slice(0, length);
}

/** HOTP (RFC 4226) of a counter with a raw key. */
export function hotp(key: Buffer, counter: number, digits = TOTP_DIGITS, algorithm: 'sha1' | 'sha256' | 'sha512' = 'sha1'): string {
  return HOTP.generate({ secret: Secret.fromHex(key.toString('hex')), algorithm: algorithm.toUpperCase(), digits, counter });
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
 * Verifies a 6-digit attempt against steps T−1, T, T+1 that are later than the last consumed step (a code is
 * never accepted twice); the earliest matching step, or null. Each candidate is compared as a fixed-length string.
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
