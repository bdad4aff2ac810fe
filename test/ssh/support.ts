/**
 * What the git-over-SSH suite starts: the built service as its own process (embedded database in a temp
 * directory, a local storage), OpenSSH's sshd on a free loopback port with its own host key and the shell
 * programs as AuthorizedKeysCommand / AuthorizedPrincipalsCommand, and the real `git` and `ssh` clients.
 */
import { ChildProcess, execFileSync, spawn, SpawnOptions } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const SHELL_BIN = join(REPO_ROOT, 'shell', 'bin');

function which(cmd: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The binaries the suite needs, or the reason it cannot run here. */
export function prerequisites(): { sshd: string; ssh: string; sshKeygen: string; git: string } | { missing: string } {
  const sshd = which('sshd') ?? (existsSync('/usr/sbin/sshd') ? '/usr/sbin/sshd' : undefined);
  const ssh = which('ssh');
  const sshKeygen = which('ssh-keygen');
  const git = which('git');
  if (!sshd || !ssh || !sshKeygen || !git) {
    const missing = [!sshd && 'sshd', !ssh && 'ssh', !sshKeygen && 'ssh-keygen', !git && 'git'].filter(Boolean).join(', ');
    return { missing: `${missing} not installed (apt-get install openssh-server openssh-client git)` };
  }
  if (process.getuid?.() !== 0) return { missing: 'not running as root (sshd needs a root-owned AuthorizedKeysCommand)' };
  if (!existsSync(join(REPO_ROOT, 'dist', 'main.js'))) return { missing: 'dist/main.js missing (run npm run build)' };
  return { sshd, ssh, sshKeygen, git };
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

async function waitFor(what: string, probe: () => Promise<boolean>, child: ChildProcess, log: () => string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}:\n${log()}`);
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} not ready after ${ms} ms:\n${log()}`);
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = connect(port, '127.0.0.1');
    s.on('connect', () => {
      s.destroy();
      res(true);
    });
    s.on('error', () => res(false));
  });
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end (argv array, never a shell), with optional stdin. */
export function run(cmd: string, args: string[], opts: SpawnOptions & { input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.on('error', rej);
    child.on('close', (code) => {
      clearTimeout(timer);
      res({ code, stdout, stderr });
    });
    // a program may exit without reading its input (git's remote end closing early): that is not a failure
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(opts.input ?? '');
  });
}

/** True when `dir` and every parent are owned by root and not group/world-writable (sshd's rule). */
function sshdSafe(dir: string): boolean {
  for (let d = resolve(dir); ; d = dirname(d)) {
    const st = statSync(d);
    if (st.uid !== 0 || (st.mode & 0o022) !== 0) return false;
    if (d === dirname(d)) return true;
  }
}

/** A fresh root-owned directory sshd accepts for AuthorizedKeysCommand (not under the world-writable /tmp). */
export function sshdSafeDir(): string {
  for (const base of ['/run', '/var/lib', '/opt', '/root', join(REPO_ROOT, 'test', 'ssh')]) {
    if (!existsSync(base) || !sshdSafe(base)) continue;
    try {
      const dir = mkdtempSync(join(base, '.gia-sshd-'));
      chmodSync(dir, 0o755);
      return dir;
    } catch {
      // try the next base
    }
  }
  throw new Error('no root-owned directory without group/world write access found for the sshd wrappers');
}

export interface Service {
  url: string;
  port: number;
  token: string;
  storagePath: string;
  secretFile: string;
  api: <T = any>(method: string, path: string, body?: unknown) => Promise<{ status: number; body: T }>;
  stop: () => Promise<void>;
  log: () => string;
}

/** Starts `node dist/main.js` on an embedded database in `dir`, with a local storage `dir/storage`. */
export async function startService(dir: string, sshPort: number): Promise<Service> {
  const port = await freePort();
  const storagePath = join(dir, 'storage');
  mkdirSync(storagePath, { recursive: true });
  const secretFile = join(dir, 'shell_secret');
  writeFileSync(secretFile, 'ssh-suite-shell-secret\n');
  const token = 'glpat-sshsuiteroottoken0';
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: join(dir, 'data'),
    GITLAB_SHELL_SECRET_FILE: secretFile,
    GITLAB_KAS_SECRET_FILE: join(dir, 'kas_secret'),
    ROOT_ACCESS_TOKEN: token,
    EXTERNAL_URL: `http://127.0.0.1:${port}`,
    SSH_HOST: '127.0.0.1',
    SSH_PORT: String(sshPort),
    SSH_USER: userInfo().username,
    GITALY_STORAGES: JSON.stringify({ default: { address: 'unix:/nonexistent/gitaly.socket', token: '', path: storagePath } }),
    DB_KEY_BASE: 'ssh-suite-db-key-base-0123456789abcdef',
    LOG_LEVEL: 'warn',
  };
  let out = '';
  const child = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (out = (out + d).slice(-20_000)));
  child.stderr!.on('data', (d) => (out = (out + d).slice(-20_000)));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    'service',
    async () => (await fetch(`${url}/-/readiness`)).ok,
    child,
    () => out,
    120_000,
  );
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}/api/v4${path}`, {
      method,
      headers: { 'PRIVATE-TOKEN': token, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return { url, port, token, storagePath, secretFile, api, stop, log: () => out };
}

export interface Sshd {
  port: number;
  user: string;
  configFile: string;
  stop: () => Promise<void>;
  log: () => string;
}

/**
 * Writes the shell's config file and the root-owned wrappers, then starts `sshd -D -e -f <config>` on a free
 * loopback port with its own host key and a user CA for certificate logins.
 */
export async function startSshd(
  bins: { sshd: string; sshKeygen: string },
  dir: string,
  safeDir: string,
  service: Service,
  port: number,
  caPublicKeyFile: string,
): Promise<Sshd & { shellConfig: string }> {
  const user = userInfo().username;
  const shellConfig = join(dir, 'shell-config.json');
  writeFileSync(
    shellConfig,
    JSON.stringify({
      gitlab_url: service.url,
      secret_file: service.secretFile,
      gitaly_storages: { default: { path: service.storagePath } },
      gitlab_shell_command: join(safeDir, 'gitlab-shell'),
    }),
  );
  const wrap = (name: string, target: string) => {
    const file = join(safeDir, name);
    writeFileSync(file, `#!/bin/sh\nGITLAB_SHELL_CONFIG='${shellConfig}' exec '${process.execPath}' '${target}' "$@"\n`);
    chmodSync(file, 0o755);
  };
  wrap('gitlab-shell', join(SHELL_BIN, 'gitlab-shell'));
  wrap('authorized-keys-check', join(SHELL_BIN, 'gitlab-shell-authorized-keys-check'));
  wrap('authorized-principals-check', join(SHELL_BIN, 'gitlab-shell-authorized-principals-check'));

  const hostKey = join(dir, 'ssh_host_ed25519_key');
  execFileSync(bins.sshKeygen, ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  if (!existsSync('/run/sshd')) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const configFile = join(dir, 'sshd_config');
  writeFileSync(
    configFile,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      // before AuthorizedKeysCommand: OpenSSH 9.2 ignores an AuthorizedPrincipalsCommand that follows it
      `TrustedUserCAKeys ${caPublicKeyFile}`,
      `AuthorizedPrincipalsCommand ${join(safeDir, 'authorized-principals-check')} --ca-fingerprint %F %i %u`,
      `AuthorizedPrincipalsCommandUser ${user}`,
      'AuthorizedKeysFile none',
      `AuthorizedKeysCommand ${join(safeDir, 'authorized-keys-check')} ${user} %u %k`,
      `AuthorizedKeysCommandUser ${user}`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'PermitRootLogin prohibit-password',
      'AcceptEnv GIT_PROTOCOL',
      'PrintMotd no',
      'LogLevel VERBOSE',
      '',
    ].join('\n'),
  );
  let out = '';
  const child = spawn(bins.sshd, ['-D', '-e', '-f', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (out = (out + d).slice(-20_000)));
  child.stderr!.on('data', (d) => (out = (out + d).slice(-20_000)));
  await waitFor(
    'sshd',
    () => portOpen(port),
    child,
    () => out,
    15_000,
  );
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  return { port, user, configFile, shellConfig, stop, log: () => out };
}

export function makeKey(sshKeygen: string, dir: string, name: string): { file: string; pub: string } {
  const file = join(dir, name);
  execFileSync(sshKeygen, ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', file]);
  return { file, pub: readFileSync(`${file}.pub`, 'utf8').trim() };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'gia-ssh-'));
}

export function removeDir(dir: string | undefined): void {
  if (dir && existsSync(dir) && lstatSync(dir).isDirectory()) rmSync(dir, { recursive: true, force: true });
}
