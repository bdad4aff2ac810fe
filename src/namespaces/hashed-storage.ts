import { createHash } from 'node:crypto';

/** `@hashed/<h[0..1]>/<h[2..3]>/<h>` with h = sha256 of the decimal project id. */
export function hashedDiskPath(projectId: number): string {
  const h = createHash('sha256').update(String(projectId)).digest('hex');
  return `@hashed/${h.slice(0, 2)}/${h.slice(2, 4)}/${h}`;
}
