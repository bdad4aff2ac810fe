// Configuration of the shell programs: a JSON file plus environment overrides. sshd runs
// AuthorizedKeysCommand with an empty environment, so the file is the normal way; the environment wins
// where both are set.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The `shell/` folder (programs live in `shell/bin`, hooks in `shell/hooks`). */
export const SHELL_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The product's folder (parent of `shell/`): default home of `.gitlab_shell_secret`. */
export const PRODUCT_ROOT = resolve(SHELL_ROOT, '..');

export class ConfigError extends Error {}

function parseStorages(raw, origin) {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new ConfigError(`${origin} is not valid JSON`);
    }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ConfigError(`${origin} must be a JSON object`);
  const storages = {};
  for (const [name, entry] of Object.entries(value)) {
    if (!entry || typeof entry !== 'object') throw new ConfigError(`${origin}: storage ${name} must be an object`);
    if (entry.path !== undefined && (typeof entry.path !== 'string' || !isAbsolute(entry.path)))
      throw new ConfigError(`${origin}: storage ${name}: path must be absolute`);
    storages[name] = { path: entry.path };
  }
  return storages;
}

/**
 * Loads the configuration: the file named by GITLAB_SHELL_CONFIG, else `shell/config.json` when present.
 * Keys: `gitlab_url`, `secret_file`, `gitaly_storages`, `gitlab_shell_command`, `git_bin`, `http_timeout_ms`.
 * Environment overrides: GITLAB_URL, GITLAB_SHELL_SECRET_FILE, GITALY_STORAGES, GITLAB_SHELL_COMMAND.
 */
export function loadConfig(env = process.env) {
  const file = env.GITLAB_SHELL_CONFIG || join(SHELL_ROOT, 'config.json');
  let data = {};
  if (existsSync(file)) {
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new ConfigError(`cannot read ${file}: ${err.message}`);
    }
  } else if (env.GITLAB_SHELL_CONFIG) {
    throw new ConfigError(`config file ${file} does not exist`);
  }
  const base = existsSync(file) ? dirname(resolve(file)) : PRODUCT_ROOT;
  const gitlabUrl = String(env.GITLAB_URL || data.gitlab_url || 'http://127.0.0.1:3000').replace(/\/+$/, '');
  if (!/^https?:\/\//.test(gitlabUrl)) throw new ConfigError(`gitlab_url must be an http(s) URL (got "${gitlabUrl}")`);
  const secretFile = env.GITLAB_SHELL_SECRET_FILE || data.secret_file || join(PRODUCT_ROOT, '.gitlab_shell_secret');
  const storages = env.GITALY_STORAGES
    ? parseStorages(env.GITALY_STORAGES, 'GITALY_STORAGES')
    : data.gitaly_storages
      ? parseStorages(data.gitaly_storages, 'gitaly_storages')
      : {};
  return {
    file: existsSync(file) ? resolve(file) : undefined,
    gitlabUrl,
    secretFile: isAbsolute(secretFile) ? secretFile : resolve(base, secretFile),
    storages,
    gitlabShellCommand: env.GITLAB_SHELL_COMMAND || data.gitlab_shell_command || join(SHELL_ROOT, 'bin', 'gitlab-shell'),
    gitBin: data.git_bin || 'git',
    httpTimeoutMs: Number(data.http_timeout_ms) > 0 ? Number(data.http_timeout_ms) : 300_000,
  };
}
