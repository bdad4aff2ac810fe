import { sha256Fingerprint } from '../identity/ssh-key';

const BASE64_ALPHABET = /[^A-Za-z0-9+/]/g;

/**
 * Decodes an SSH key blob the way GitLab does (Ruby's lenient `Base64.decode64`): standard alphabet only,
 * every other character skipped, decoding ends at the first `=`, missing padding tolerated. A space is read as
 * the `+` that query parsing turned into one. Never throws; garbage simply decodes to other bytes.
 */
export function decodeBlobLeniently(value: string): Buffer {
  let text = value.replace(/ /g, '+');
  const pad = text.indexOf('=');
  if (pad >= 0) text = text.slice(0, pad);
  text = text.replace(BASE64_ALPHABET, '');
  // a single dangling character carries fewer than 8 bits: it is dropped, as Ruby does
  if (text.length % 4 === 1) text = text.slice(0, -1);
  return Buffer.from(text, 'base64');
}

/**
 * The `keys.fingerprint_sha256` of the key a client presents: unpadded standard base64 of the
 * SHA-256 of the leniently decoded blob; null when nothing decodes.
 */
export function blobFingerprint(value: string): string | null {
  const bytes = decodeBlobLeniently(value);
  return bytes.length ? sha256Fingerprint(bytes) : null;
}

/** A CA fingerprint as gitlab-sshd sends it (`SHA256:` prefix optional). */
export function normalizeCaFingerprint(value: string): string {
  const text = value.trim();
  return text.startsWith('SHA256:') ? text.slice('SHA256:'.length) : text;
}
