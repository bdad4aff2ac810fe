import { createHash } from 'node:crypto';
import sshpk from 'sshpk';

export const ACCEPTED_KEY_TYPES = [
  'ssh-rsa',
  'ssh-dss',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'ssh-ed25519',
  'sk-ecdsa-sha2-nistp256@openssh.com',
  'sk-ssh-ed25519@openssh.com',
];

export interface ParsedSshKey {
  /** Declared type, e.g. `ssh-ed25519`. */
  type: string;
  /** The base64 blob as written. */
  blob: string;
  comment: string;
  /** `<type> <blob>[ <comment>]` on one line. */
  normalized: string;
  /** MD5 of the blob, lowercase hex pairs joined by `:`. */
  fingerprint: string;
  /** Unpadded standard base64 of SHA-256 of the blob. */
  fingerprintSha256: string;
}

/** SHA-256 fingerprint of raw key bytes, as stored in `keys.fingerprint_sha256`. */
export function sha256Fingerprint(blob: Buffer): string {
  return createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

/** The type name embedded at the start of an SSH public key blob. */
function embeddedType(blob: Buffer): string | null {
  if (blob.length < 4) return null;
  const len = blob.readUInt32BE(0);
  if (len <= 0 || len > 64 || blob.length < 4 + len) return null;
  return blob.subarray(4, 4 + len).toString('latin1');
}

/**
 * Parses an OpenSSH public key line with sshpk; null when it is not a valid key of an accepted type or the
 * type written before the blob differs from the one inside it.
 */
export function parseSshPublicKey(text: string): ParsedSshKey | null {
  if (typeof text !== 'string') return null;
  const line = text.replace(/[\r\n]+/g, ' ').trim();
  const parts = line.split(/\s+/);
  if (parts.length < 2) return null;
  const [type, blob, ...rest] = parts;
  if (!ACCEPTED_KEY_TYPES.includes(type) || !/^[A-Za-z0-9+/]+={0,2}$/.test(blob)) return null;
  const raw = Buffer.from(blob, 'base64');
  if (embeddedType(raw) !== type) return null;
  try {
    if (type.startsWith('sk-')) {
      // sshpk does not know security-key types; their blob is checked structurally above.
    } else {
      sshpk.parseKey(`${type} ${blob}`, 'ssh');
    }
  } catch {
    return null;
  }
  const comment = rest.join(' ');
  const md5 = createHash('md5').update(raw).digest('hex');
  return {
    type,
    blob,
    comment,
    normalized: comment ? `${type} ${blob} ${comment}` : `${type} ${blob}`,
    fingerprint: md5.match(/../g)!.join(':'),
    fingerprintSha256: sha256Fingerprint(raw),
  };
}
