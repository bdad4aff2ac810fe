import { createHash, generateKeyPairSync } from 'node:crypto';
import sshpk from 'sshpk';
import { blobFingerprint, decodeBlobLeniently, normalizeCaFingerprint } from './ssh-blob';

describe('lenient SSH blob decoding and SHA-256 fingerprints', () => {
  const { publicKey } = generateKeyPairSync('ed25519');
  const line = sshpk.parseKey(publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'pem').toString('ssh');
  const blob = line.split(' ')[1];
  const bytes = Buffer.from(blob, 'base64');
  const expected = createHash('sha256').update(bytes).digest('base64').replace(/=+$/, '');

  it('fingerprints the padded blob like OpenSSH (unpadded base64, no SHA256: prefix)', () => {
    expect(blobFingerprint(blob)).toBe(expected);
    expect(blobFingerprint(blob)).not.toMatch(/=|^SHA256:/);
  });

  it('accepts the unpadded blob (gitlab-sshd RawStdEncoding)', () => {
    expect(blobFingerprint(blob.replace(/=+$/, ''))).toBe(expected);
  });

  it('reads spaces as the + that query parsing turned into them', () => {
    const withPlus = 'AAAA+/8=';
    expect(decodeBlobLeniently(withPlus.replace('+', ' '))).toEqual(Buffer.from(withPlus, 'base64'));
  });

  it('skips characters outside the standard alphabet (newlines, -, _, junk)', () => {
    const noisy = blob.slice(0, 10) + '\n-_!' + blob.slice(10);
    expect(blobFingerprint(noisy)).toBe(expected);
  });

  it('gives another fingerprint for a truncated blob and null for nothing decodable', () => {
    expect(blobFingerprint(blob.slice(0, -3))).not.toBe(expected);
    expect(blobFingerprint('whatever!')).not.toBe(expected);
    expect(blobFingerprint('')).toBeNull();
    expect(blobFingerprint('!!!')).toBeNull();
    expect(blobFingerprint('=AAAA')).toBeNull();
  });

  it('matches Ruby decode64 on partial quanta', () => {
    expect(decodeBlobLeniently('QQ')).toEqual(Buffer.from('A'));
    expect(decodeBlobLeniently('QUI')).toEqual(Buffer.from('AB'));
    expect(decodeBlobLeniently('QUJD')).toEqual(Buffer.from('ABC'));
    expect(decodeBlobLeniently('QUJDR')).toEqual(Buffer.from('ABC'));
  });

  it('strips an optional SHA256: prefix from CA fingerprints', () => {
    expect(normalizeCaFingerprint(`SHA256:${expected}`)).toBe(expected);
    expect(normalizeCaFingerprint(` ${expected} `)).toBe(expected);
  });
});
