// The forced command of every SSH login (`gitlab-shell key-<id>` / `gitlab-shell username-<name>`): reads
// SSH_ORIGINAL_COMMAND and runs what gitlab-shell runs, deciding everything through the internal API.
import { spawn } from 'node:child_process';
import { delimiter, dirname, isAbsolute, relative, resolve } from 'node:path';
import { ApiError, InternalApi } from './api.mjs';
import { infoMessages, warningMessage } from './console.mjs';
import { shellwords } from './shellwords.mjs';

export const GIT_COMMANDS = ['git-upload-pack', 'git-receive-pack', 'git-upload-archive'];
const DISALLOWED = 'Disallowed command';
const PAT_USAGE = 'Usage: personal_access_token <name> <scope1[,scope2,...]> [ttl_days]';

/** A failure shown to the user as a warning (gitlab-shell prints the error and exits 1). */
export class UserError extends Error {}

/** A command that cannot be built at all: printed as a plain line, as gitlab-shell prints it before running anything. */
export class ParseError extends UserError {}

/** `key-<id>`, `username-<name>` and (certificate logins) `namespace-<path>` from the forced command's arguments. */
export function parseWho(args) {
  const who = {};
  for (const arg of args) {
    if (who.keyId === undefined && who.username === undefined) {
      const key = /\bkey-(\d+)\b/.exec(arg);
      if (key) {
        who.keyId = key[1];
        continue;
      }
      const user = /\busername-(\S+)\b/.exec(arg);
      if (user) {
        who.username = user[1];
        continue;
      }
    }
    const ns = /^namespace-(\S+)$/.exec(arg);
    if (ns) who.namespacePath = ns[1];
  }
  return who;
}

/** SSH_ORIGINAL_COMMAND as an argv; `git upload-pack` (Git for Windows) becomes `git-upload-pack`. */
export function parseSshCommand(command) {
  let args;
  try {
    args = shellwords(command ?? '');
  } catch {
    throw new ParseError('Invalid SSH command');
  }
  if (args.length > 1 && args[0] === 'git') args = [`git-${args[1]}`, ...args.slice(2)];
  return args;
}

function actorFields(who) {
  if (who.username !== undefined) return { username: who.username };
  return { key_id: who.keyId ?? '' };
}

function checkIp(env) {
  const first = (env.SSH_CONNECTION ?? '').split(' ')[0];
  return first || undefined;
}

function today(offsetDays) {
  const d = new Date();
  d.setDate(d.getDate() + offsetDays);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function readLine(input, limit) {
  return new Promise((resolveLine) => {
    let data = '';
    const done = (value) => {
      input.removeListener('data', onData);
      input.removeListener('end', onEnd);
      input.pause();
      resolveLine(value);
    };
    const onData = (chunk) => {
      data += chunk.toString('utf8');
      const nl = data.indexOf('\n');
      if (nl >= 0 || data.length >= limit) done(data.slice(0, nl >= 0 ? Math.min(nl, limit) : limit));
    };
    const onEnd = () => done(data.slice(0, limit));
    input.on('data', onData);
    input.on('end', onEnd);
    input.resume();
  });
}

/** The first whitespace-separated word of a line, as Go's Fscanln reads it. */
function firstWord(line) {
  return line.trim().split(/\s+/)[0] ?? '';
}

export class ShellCommand {
  constructor({ config, args, env = process.env, stdin = process.stdin, stdout = process.stdout, stderr = process.stderr }) {
    this.config = config;
    this.api = new InternalApi(config);
    this.args = args;
    this.env = env;
    this.stdin = stdin;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** Runs the command; resolves to the process exit code. */
  async run() {
    try {
      if (!this.env.SSH_CONNECTION) throw new ParseError('Only SSH allowed');
      this.who = parseWho(this.args);
      const argv = parseSshCommand(this.env.SSH_ORIGINAL_COMMAND);
      const command = argv[0] ?? 'discover';
      if (this.who.namespacePath && !GIT_COMMANDS.includes(command)) throw new ParseError(DISALLOWED);
      switch (command) {
        case 'discover':
          return await this.discover();
        case '2fa_recovery_codes':
          return await this.twoFactorRecover();
        case '2fa_verify':
          return await this.twoFactorVerify();
        case 'personal_access_token':
          return await this.personalAccessToken(argv);
        case 'git-lfs-authenticate':
          return await this.lfsAuthenticate(argv);
        case 'git-upload-pack':
        case 'git-receive-pack':
        case 'git-upload-archive':
          return await this.git(command, argv);
        default:
          throw new ParseError(DISALLOWED);
      }
    } catch (err) {
      if (err instanceof ParseError) {
        this.stderr.write(`${err.message}\n`);
        return 1;
      }
      if (err instanceof UserError || err instanceof ApiError) {
        this.stderr.write(warningMessage(err.message));
        return 1;
      }
      this.stderr.write(warningMessage('Internal error'));
      process.emitWarning(err);
      return 1;
    }
  }

  async discover() {
    let user;
    try {
      user = (await this.api.get('/discover', this.who.username !== undefined ? { username: this.who.username } : { key_id: this.who.keyId })).body;
    } catch (err) {
      if (err instanceof ApiError) throw new UserError(`Failed to get username: ${err.message}`);
      throw err;
    }
    this.stdout.write(user && user.username ? `Welcome to GitLab, @${user.username}!\n` : 'Welcome to GitLab, Anonymous!\n');
    return 0;
  }

  /** The actor of the 2FA and token routes: `key_id`, or for a username login the user id /discover names. */
  async userActor() {
    if (this.who.username === undefined) return { key_id: this.who.keyId };
    const user = (await this.api.get('/discover', { username: this.who.username })).body;
    return { user_id: user?.id ?? 0 };
  }

  async twoFactorRecover() {
    this.stdout.write(
      'Are you sure you want to generate new two-factor recovery codes?\nAny existing recovery codes you saved will be invalidated. (yes/no)\n',
    );
    const answer = firstWord(await readLine(this.stdin, 1024));
    if (answer !== 'yes') {
      this.stdout.write('\nNew recovery codes have *not* been generated. Existing codes will remain valid.\n');
      return 0;
    }
    let error;
    let codes;
    try {
      const res = (await this.api.post('/two_factor_recovery_codes', await this.userActor())).body;
      if (res?.success) codes = res.recovery_codes ?? [];
      else error = res?.message ?? 'Parsing failed';
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      error = err.message;
    }
    if (codes) {
      this.stdout.write(
        `\nYour two-factor authentication recovery codes are:\n\n${codes.join('\n')}\n\n` +
          'During sign in, use one of the codes above when prompted for\n' +
          'your two-factor code. Then, visit your Profile Settings and add\n' +
          'a new device so you do not lose access to your account again.\n',
      );
    } else {
      this.stdout.write(`\nAn error occurred while trying to generate new recovery codes.\n${error}\n`);
    }
    return 0;
  }

  async twoFactorVerify() {
    this.stdout.write('OTP: ');
    const actor = await this.userActor();
    const timeout = new Promise((r) => setTimeout(() => r('OTP validation failed: context deadline exceeded'), 30_000).unref());
    const push = this.api
      .post('/two_factor_push_otp_check', actor)
      .then((res) => (res.body?.success ? 'OTP has been validated by Push Authentication. Git operations are now allowed.' : new Promise(() => {})))
      .catch(() => new Promise(() => {}));
    const manual = (async () => {
      const otp = firstWord(await readLine(this.stdin, 64));
      if (!otp) return 'OTP validation failed: OTP cannot be blank';
      try {
        const res = (await this.api.post('/two_factor_manual_otp_check', { ...actor, otp_attempt: otp })).body;
        return res?.success ? 'OTP validation successful. Git operations are now allowed.' : `OTP validation failed: ${res?.message ?? 'Parsing failed'}`;
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        return `OTP validation failed: ${err.message}`;
      }
    })();
    const message = await Promise.race([manual, push, timeout]);
    this.stdout.write(`\n${message}\n`);
    return 0;
  }

  async personalAccessToken(argv) {
    if (argv.length < 3 || argv.length > 4) throw new UserError(PAT_USAGE);
    const scopes = argv[2].split(',');
    let expiresAt = today(30);
    if (argv.length === 4) {
      const raw = argv[3];
      const ttl = /^[+-]?\d+$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isSafeInteger(ttl) || ttl < 0) throw new UserError(`Invalid value for days_ttl: '${raw}'`);
      expiresAt = today(ttl + 1);
    }
    const res = (await this.api.post('/personal_access_token', { ...(await this.userActor()), name: argv[1], scopes, expires_at: expiresAt })).body;
    if (!res?.success) throw new UserError(res?.message ?? 'Parsing failed');
    this.stdout.write(`Token:   ${res.token}\nScopes:  ${(res.scopes ?? []).join(',')}\nExpires: ${res.expires_at ?? ''}\n`);
    return 0;
  }

  /** POST /allowed for an SSH command, console messages shown; throws the denial message. */
  async allowed(action, repo) {
    const body = {
      action,
      project: repo,
      changes: '_any',
      protocol: 'ssh',
      ...actorFields(this.who),
      ...(checkIp(this.env) ? { check_ip: checkIp(this.env) } : {}),
      ...(this.who.namespacePath ? { namespace_path: this.who.namespacePath } : {}),
    };
    const res = (await this.api.post('/allowed', body)).body;
    this.stderr.write(infoMessages(Array.isArray(res?.gl_console_messages) ? res.gl_console_messages : []));
    if (!res || res.status !== true) throw new UserError(res?.message ?? 'Parsing failed');
    return res;
  }

  async lfsAuthenticate(argv) {
    if (argv.length < 3) throw new UserError(DISALLOWED);
    const [, repo, operation] = argv;
    const action = operation === 'download' ? 'git-upload-pack' : operation === 'upload' ? 'git-receive-pack' : undefined;
    if (!action) throw new UserError(DISALLOWED);
    const access = await this.allowed(action, repo);
    const actor = this.who.keyId !== undefined && this.who.username === undefined
      ? { key_id: this.who.keyId }
      : { user_id: String(access.gl_id ?? '').replace(/^user-/, '') };
    try {
      const res = (await this.api.post('/lfs_authenticate', { operation, project: repo, ...actor })).body;
      const basic = Buffer.from(`${res.username}:${res.lfs_token}`).toString('base64');
      const payload = { header: { Authorization: `Basic ${basic}` }, href: `${res.repository_http_path}/info/lfs` };
      if (res.expires_in) payload.expires_in = res.expires_in;
      this.stdout.write(`${JSON.stringify(payload)}\n`);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      // nothing is printed when the token cannot be issued, as gitlab-shell does
    }
    return 0;
  }

  /** The local directory of the repository /allowed named, through the storage's `path`. */
  repositoryDir(repository) {
    const name = repository?.storage_name;
    const rel = repository?.relative_path;
    const storage = this.config.storages[name];
    if (!storage?.path) throw new UserError(`Repository storage "${name}" has no local path configured`);
    if (typeof rel !== 'string' || rel === '' || isAbsolute(rel)) throw new UserError('Invalid repository path');
    const dir = resolve(storage.path, rel);
    const inside = relative(resolve(storage.path), dir);
    if (!inside || inside.startsWith('..') || isAbsolute(inside)) throw new UserError('Invalid repository path');
    return dir;
  }

  async git(command, argv) {
    if (argv.length !== 2) throw new UserError(DISALLOWED);
    const access = await this.allowed(command, argv[1]);
    const dir = this.repositoryDir(access.gitaly?.repository);
    const who = this.who.keyId !== undefined && this.who.username === undefined ? `key-${this.who.keyId}` : access.gl_id;
    const options = Array.isArray(access.git_config_options) ? access.git_config_options : [];
    if (command === 'git-receive-pack') options.push('receive.advertisePushOptions=true');
    const env = {
      ...this.env,
      GL_ID: who ?? '',
      GL_REPOSITORY: access.gl_repository ?? '',
      GL_PROTOCOL: 'ssh',
      GL_USERNAME: access.gl_username ?? '',
      GL_PROJECT_PATH: access.gl_project_path ?? '',
      PATH: [dirname(process.execPath), this.env.PATH || '/usr/local/bin:/usr/bin:/bin'].join(delimiter),
    };
    if (this.config.file) env.GITLAB_SHELL_CONFIG = this.config.file;
    const gitArgs = [...options.flatMap((o) => ['-c', o]), command.slice('git-'.length), dir];
    return new Promise((resolveCode) => {
      const child = spawn(this.config.gitBin, gitArgs, { env, stdio: ['inherit', 'inherit', 'inherit'] });
      child.on('error', (err) => {
        this.stderr.write(warningMessage(`Failed to run git: ${err.message}`));
        resolveCode(1);
      });
      child.on('close', (code, signal) => resolveCode(code ?? (signal ? 1 : 0)));
    });
  }
}


