import { generateKeyPairSync } from 'node:crypto';
import sshpk from 'sshpk';
import { Key } from '../../../src/identity/entities/key.entity';
import { KeysService } from '../../../src/identity/keys.service';
import { User } from '../../../src/identity/entities/user.entity';
import { newSshPublicKey } from '../../helpers/factories';
import { shellJwt } from '../../helpers/jwt';
import { TestApp } from '../../helpers/test-app';

/** An ed25519 public key line whose blob contains both `+` and `/` (to exercise query escaping). */
export function keyWithPlusAndSlash(comment = 'test@host'): string {
  for (;;) {
    const line = newSshPublicKey(comment);
    const blob = line.split(' ')[1];
    if (blob.includes('+') && blob.includes('/')) return line;
  }
}

/** An ecdsa-sha2-nistp256 key line: its blob (104 bytes) ends in `=` padding. */
export function ecdsaKeyLine(comment = 'test@host'): string {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return `${sshpk.parseKey(publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'pem').toString('ssh')} ${comment}`;
}

export const blobOf = (line: string): string => line.split(' ')[1];

/** A deploy key row of the core `keys` table (`user_id` = creator, or none). */
export function addDeployKey(t: TestApp, creator: User | null, title = 'deploy'): Promise<Key> {
  return t
    .get<KeysService>(KeysService)
    .add({ type: 'DeployKey', userId: creator?.id ?? null, title, key: newSshPublicKey('deploy@host') });
}

/** The shell JWT header with a JSON content type, as gitlab-shell sends every request. */
export const shell = () => ({ 'Gitlab-Shell-Api-Request': shellJwt(), 'Content-Type': 'application/json' });

/** `R(text)`: 200 `{"success":false,"message":text}`. */
export function expectR(res: { status: number; body: unknown; headers: Record<string, string> }, message: string): void {
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(res.body).toEqual({ success: false, message });
}
