import { createHash, generateKeyPairSync } from 'node:crypto';
import sshpk from 'sshpk';
import { parseSshPublicKey } from './ssh-key';

function ed25519Line(comment = 'me@host'): string {
  const pem = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return `${sshpk.parseKey(pem, 'pem').toString('ssh')} ${comment}`;
}

describe('SSH public keys', () => {
  it('parses, normalises and fingerprints a key like ssh-keygen', () => {
    const line = ed25519Line('alice@laptop');
    const parsed = parseSshPublicKey(`  ${line}\n`)!;
    expect(parsed.type).toBe('ssh-ed25519');
    expect(parsed.normalized).toBe(line);
    const blob = Buffer.from(line.split(' ')[1], 'base64');
    expect(parsed.fingerprintSha256).toBe(createHash('sha256').update(blob).digest('base64').replace(/=+$/, ''));
    expect(parsed.fingerprint).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    expect(sshpk.parseKey(line, 'ssh').fingerprint('sha256').toString()).toBe(`SHA256:${parsed.fingerprintSha256}`);
  });

  it('rejects garbage, unknown types and a declared type that differs from the blob', () => {
    const [, blob] = ed25519Line().split(' ');
    expect(parseSshPublicKey('not a key')).toBeNull();
    expect(parseSshPublicKey(`ssh-foo ${blob}`)).toBeNull();
    expect(parseSshPublicKey(`ssh-rsa ${blob}`)).toBeNull();
    expect(parseSshPublicKey('ssh-ed25519 AAAA')).toBeNull();
  });
});
