import { Inject, Injectable, Logger } from '@nestjs/common';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { APP_CONFIG, AppConfig } from '../config/config';
import { installServerHooks } from './server-hooks';

/** Quarantine directories Gitaly sends in `env`. */
export interface GitEnv {
  GIT_OBJECT_DIRECTORY_RELATIVE?: string;
  GIT_ALTERNATE_OBJECT_DIRECTORIES_RELATIVE?: string[];
}

interface GitResult {
  code: number | null;
  stdout: string;
  error?: Error;
}

const TIMEOUT_MS = 10_000;

/**
 * The history checks (B3, B6), run with the `git` binary on a local repository: argv arrays,
 * an explicit environment, a 10 s timeout, never a shell.
 */
@Injectable()
export class GitHistoryService {
  private readonly logger = new Logger('GitHistory');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** B3: true when `oldrev` is not an ancestor of `newrev` (exit 1); any other outcome → false, logged. */
  async isForcePush(repo: string, env: GitEnv, oldrev: string, newrev: string): Promise<boolean> {
    const result = await this.git(repo, env, ['merge-base', '--is-ancestor', oldrev, newrev]);
    if (result.code === 0) return false;
    if (result.code === 1) return true;
    this.logger.warn({ repo, code: result.code, err: result.error?.message }, 'force-push check inconclusive, treated as not forced');
    return false;
  }

  /** B6: the branches (short names) containing `rev`; null when git failed (the check then passes). */
  async branchesContaining(repo: string, env: GitEnv, rev: string): Promise<string[] | null> {
    const result = await this.git(repo, env, ['for-each-ref', '--contains', rev, '--format=%(refname)', 'refs/heads/']);
    if (result.code !== 0) {
      this.logger.warn({ repo, code: result.code, err: result.error?.message }, 'contains check failed, treated as passing');
      return null;
    }
    return result.stdout
      .split('\n')
      .filter((line) => line.startsWith('refs/heads/'))
      .map((line) => line.slice('refs/heads/'.length));
  }

  /**
   * `git init --bare` (parents created, HEAD on `main` until the first push names a branch) with the server
   * hooks linked in; failures are logged, never thrown.
   */
  async initBare(dir: string): Promise<boolean> {
    const result = await this.run(['init', '--bare', '--quiet', '--initial-branch=main', dir], {});
    if (result.code !== 0) {
      this.logger.warn({ dir, err: result.error?.message }, 'git init --bare failed');
      return false;
    }
    try {
      if (!(await installServerHooks(dir, this.config.gitlabShellHooksDir)))
        this.logger.warn({ dir, hooksDir: this.config.gitlabShellHooksDir }, 'server hooks not found, repository has none');
    } catch (err) {
      this.logger.warn({ dir, err: (err as Error).message }, 'installing the server hooks failed');
    }
    return true;
  }

  private git(repo: string, env: GitEnv, args: string[]): Promise<GitResult> {
    const extra: Record<string, string> = {};
    if (env.GIT_OBJECT_DIRECTORY_RELATIVE) extra.GIT_OBJECT_DIRECTORY = join(repo, env.GIT_OBJECT_DIRECTORY_RELATIVE);
    const alternates = env.GIT_ALTERNATE_OBJECT_DIRECTORIES_RELATIVE ?? [];
    if (env.GIT_OBJECT_DIRECTORY_RELATIVE || alternates.length) {
      extra.GIT_ALTERNATE_OBJECT_DIRECTORIES = [join(repo, 'objects'), ...alternates.map((d) => join(repo, d))].join(':');
    }
    return this.run([`--git-dir=${repo}`, ...args], extra);
  }

  private run(args: string[], extra: Record<string, string>): Promise<GitResult> {
    const env: Record<string, string> = {
      ...this.config.childProcessEnv,
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_NOSYSTEM: '1',
      LANG: 'C',
      ...extra,
    };
    return new Promise((resolve) => {
      execFile('git', args, { env, timeout: TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024, shell: false }, (error, stdout) => {
        if (!error) return resolve({ code: 0, stdout: String(stdout) });
        const code = typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code as number) : null;
        resolve({ code, stdout: String(stdout ?? ''), error });
      });
    });
  }
}
