import { existsSync } from 'node:fs';
import { mkdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';

/** The hooks every repository on a local storage gets: they ask this service before and after a push. */
export const SERVER_HOOKS = ['pre-receive', 'post-receive'] as const;

/**
 * Links `<repo>/hooks/<name>` to `<hooksDir>/<name>` for each server hook, replacing what is there. Returns
 * false (and links nothing) when the hooks directory does not hold them; throws on a filesystem failure.
 */
export async function installServerHooks(repoDir: string, hooksDir: string): Promise<boolean> {
  if (!SERVER_HOOKS.every((name) => existsSync(join(hooksDir, name)))) return false;
  await mkdir(join(repoDir, 'hooks'), { recursive: true });
  for (const name of SERVER_HOOKS) {
    const link = join(repoDir, 'hooks', name);
    await rm(link, { force: true });
    await symlink(join(hooksDir, name), link);
  }
  return true;
}
