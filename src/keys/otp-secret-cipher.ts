import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * OTP secrets at rest: AES-256-GCM with key = SHA-256 of `DB_KEY_BASE + ":otp"`, stored as
 * base64 of IV (12 bytes) ‖ tag (16 bytes) ‖ ciphertext.
 */
export class OtpSecretCipher {
  private readonly key: Buffer;

  constructor(dbKeyBase: string) {
    this.key = createHash('sha256').update(`${dbKeyBase}:otp`).digest();
  }

  encrypt(secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
  }

  /** The base32 secret, or null when the value cannot be decrypted (another DB_KEY_BASE, damaged data). */
  decrypt(stored: string): string | null {
    try {
      const raw = Buffer.from(stored, 'base64');
      if (raw.length < 29) return null;
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }
}
