import { Inject, Injectable, Logger } from '@nestjs/common';
import { execFile } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { APP_CONFIG, AppConfig } from '../config/config';
import { installServerHooks } from '../git-access/server-hooks';
import { Project } from '../namespaces/entities/project.entity';

const run = promisify(execFile);

/**
 * Local repositories of storages that have a `path`: `git init --bare` with the server
 * hooks linked in when a project is created, removal when it is deleted. Failures are logged and never fail
 * the request.
 */
@Injectable()
export class RepositoryStorageService {
  private readonly logger = new Logger('RepositoryStorage');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** `<storage path>/<disk_path>.git`, or null when the storage has no local path. */
  localPath(project: Pick<Project, 'repository_storage' | 'disk_path'>): string | null {
    const base = this.config.gitalyStorages[project.repository_storage]?.path;
    if (!base || !project.disk_path.startsWith('@hashed/')) return null;
    const full = resolve(join(base, `${project.disk_path}.git`));
    return full.startsWith(resolve(base) + sep) ? full : null;
  }

  async initRepository(project: Project): Promise<void> {
    const dir = this.localPath(project);
    if (!dir) return;
    try {
      await mkdir(dirname(dir), { recursive: true });
      const args = ['init', '--bare', '--quiet', `--initial-branch=${project.default_branch || 'main'}`, dir];
      await run('git', args, { timeout: 10_000, env: { PATH: this.config.childProcessEnv.PATH, HOME: dirname(dir), LANG: 'C', GIT_CONFIG_NOSYSTEM: '1' } });
    } catch (err) {
      this.logger.warn({ err, projectId: project.id }, 'git init --bare failed');
      return;
    }
    try {
      if (!(await installServerHooks(dir, this.config.gitlabShellHooksDir)))
        this.logger.warn({ projectId: project.id, hooksDir: this.config.gitlabShellHooksDir }, 'server hooks not found, repository has none');
    } catch (err) {
      this.logger.warn({ err, projectId: project.id }, 'installing the server hooks failed');
    }
  }

  async removeRepository(project: Pick<Project, 'id' | 'repository_storage' | 'disk_path'>): Promise<void> {
    const dir = this.localPath(project);
    if (!dir) return;
    try {
      await rm(dir, { recursive: true, force: true });
    } catch (err) {
      this.logger.warn({ err, projectId: project.id }, 'removing the local repository failed');
    }
  }
}
