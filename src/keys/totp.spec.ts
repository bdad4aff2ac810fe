import { base32Decode, generateOtpSecret, hotp, isValidOtpSecret, timeStep, totpCode, verifyTotp } from './totp';
import { OtpSecretCipher } from './otp-secret-cipher';

describe('TOTP (RFC 6238) and HOTP (RFC 4226)', () => {
  const sha1Key = Buffer.from('12345678901234567890');
  const sha256Key = Buffer.from('12345678901234567890123456789012');
  const sha512Key = Buffer.from('1234567890123456789012345678901234567890123456789012345678901234');

  it('matches the RFC 4226 HOTP vectors', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expect(expected.map((_, counter) => hotp(sha1Key, counter))).toEqual(expected);
  });

  it.each([
    [59, '94287082', '46119246', '90693936'],
    [1111111109, '07081804', '68084774', '25091201'],
    [1111111111, '14050471', '67062674', '99943326'],
    [1234567890, '89005924', '91819424', '93441116'],
    [2000000000, '69279037', '90698825', '38618901'],
    [20000000000, '65353130', '77737706', '47863826'],
  ])('matches the RFC 6238 vectors at T=%i', (time, sha1, sha256, sha512) => {
    const step = timeStep(time);
    expect(hotp(sha1Key, step, 8, 'sha1')).toBe(sha1);
    expect(hotp(sha256Key, step, 8, 'sha256')).toBe(sha256);
    expect(hotp(sha512Key, step, 8, 'sha512')).toBe(sha512);
  });

  it('decodes base32 secrets (RFC 4648)', () => {
    expect(base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ').toString()).toBe('12345678901234567890');
    expect(totpCode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', timeStep(59))).toBe('287082');
  });

  it('accepts T−1, T and T+1, rejects T±2, replays and malformed attempts', () => {
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    const now = 1_700_000_015;
    const t = timeStep(now);
    expect(verifyTotp(secret, totpCode(secret, t - 1), now, null)).toBe(t - 1);
    expect(verifyTotp(secret, totpCode(secret, t), now, null)).toBe(t);
    expect(verifyTotp(secret, totpCode(secret, t + 1), now, null)).toBe(t + 1);
    expect(verifyTotp(secret, totpCode(secret, t - 2), now, null)).toBeNull();
    expect(verifyTotp(secret, totpCode(secret, t + 2), now, null)).toBeNull();
    expect(verifyTotp(secret, totpCode(secret, t), now, t)).toBeNull();
    expect(verifyTotp(secret, totpCode(secret, t - 1), now, t - 1)).toBeNull();
    expect(verifyTotp(secret, totpCode(secret, t + 1), now, t)).toBe(t + 1);
    expect(verifyTotp(secret, '', now, null)).toBeNull();
    expect(verifyTotp(secret, '12345', now, null)).toBeNull();
    expect(verifyTotp(secret, 'abcdef', now, null)).toBeNull();
  });

  it('generates and validates base32 secrets', () => {
    const secret = generateOtpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(isValidOtpSecret(secret)).toBe(true);
    expect(isValidOtpSecret('A'.repeat(15))).toBe(false);
    expect(isValidOtpSecret('A'.repeat(65))).toBe(false);
    expect(isValidOtpSecret('ABCDEFGHIJKLMNO1')).toBe(false);
    expect(isValidOtpSecret('abcdefghijklmnop')).toBe(false);
  });

  it('encrypts OTP secrets with AES-256-GCM: IV ‖ tag ‖ ciphertext, bound to DB_KEY_BASE', () => {
    const cipher = new OtpSecretCipher('key-base');
    const stored = cipher.encrypt('JBSWY3DPEHPK3PXP');
    expect(Buffer.from(stored, 'base64').length).toBe(12 + 16 + 16);
    expect(cipher.encrypt('JBSWY3DPEHPK3PXP')).not.toBe(stored);
    expect(cipher.decrypt(stored)).toBe('JBSWY3DPEHPK3PXP');
    expect(new OtpSecretCipher('other').decrypt(stored)).toBeNull();
    expect(cipher.decrypt('garbage')).toBeNull();
  });
});
