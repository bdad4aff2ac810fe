// Server hooks of the repositories the product creates on a local storage, doing what Gitaly's hooks do:
// pre-receive asks POST /allowed with the real ref updates and POST /pre_receive; post-receive reports the
// push with POST /post_receive and prints its messages to the pusher. The forced command passes GL_ID,
// GL_REPOSITORY, GL_PROTOCOL, GL_USERNAME and GL_PROJECT_PATH through git to the hooks.
import { execFileSync } from 'node:child_process';
import { isAbsolute, relative, resolve } from 'node:path';
import { ApiError, InternalApi } from './api.mjs';

const BLANK = /^0+$/;

async function readAll(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** `key-<id>` → key_id, `user-<id>` → user_id, `username-<name>` → username (Gitaly's mapping of gl_id). */
export function actorOfGlId(glId) {
  const m = /^(key|user|username)-(.+)$/.exec(glId ?? '');
  if (!m) return {};
  if (m[1] === 'key') return { key_id: m[2] };
  if (m[1] === 'user') return { user_id: m[2] };
  return { username: m[2] };
}

/** The quarantine directories git gives the hook, relative to the repository (as Gitaly sends them). */
export function quarantineEnv(repo, env) {
  const out = {};
  const rel = (p) => {
    const r = relative(repo, resolve(repo, p));
    return r.startsWith('..') || isAbsolute(r) ? undefined : r;
  };
  if (env.GIT_OBJECT_DIRECTORY) out.GIT_OBJECT_DIRECTORY_RELATIVE = rel(env.GIT_OBJECT_DIRECTORY);
  if (env.GIT_ALTERNATE_OBJECT_DIRECTORIES) {
    out.GIT_ALTERNATE_OBJECT_DIRECTORIES_RELATIVE = env.GIT_ALTERNATE_OBJECT_DIRECTORIES.split(':')
      .filter(Boolean)
      .map(rel)
      .filter((r) => r !== undefined);
  }
  return out;
}

export function pushOptions(env) {
  const count = Number(env.GIT_PUSH_OPTION_COUNT);
  if (!Number.isInteger(count) || count <= 0) return null;
  const options = [];
  for (let i = 0; i < count; i++) if (env[`GIT_PUSH_OPTION_${i}`] !== undefined) options.push(env[`GIT_PUSH_OPTION_${i}`]);
  return options;
}

/** Post-receive messages as Gitaly prints them: basic text as is, alerts centred between two rulers. */
export function formatMessages(messages) {
  let out = '';
  for (const m of messages) {
    out += '\n';
    if (m.type === 'alert') {
      const ruler = '='.repeat(72);
      const lines = String(m.message)
        .split('\n')
        .map((l) => ' '.repeat(Math.max(0, Math.floor((72 - l.length) / 2))) + l);
      out += `${ruler}\n\n${lines.join('\n')}\n\n${ruler}\n`;
    } else {
      out += `${m.message}\n`;
    }
  }
  return out;
}

function hookContext(env) {
  if (!env.GL_REPOSITORY || !env.GL_ID) {
    throw new ApiError('this repository accepts pushes only through GitLab (GL_REPOSITORY and GL_ID are not set)');
  }
  return { glRepository: env.GL_REPOSITORY, glId: env.GL_ID, protocol: env.GL_PROTOCOL || 'ssh' };
}

export async function preReceive({ config, env = process.env, stdin = process.stdin, stderr = process.stderr, repo = process.cwd() }) {
  try {
    const ctx = hookContext(env);
    const changes = await readAll(stdin);
    const api = new InternalApi(config);
    const options = pushOptions(env);
    const allowed = (
      await api.post('/allowed', {
        action: 'git-receive-pack',
        gl_repository: ctx.glRepository,
        project: repo,
        changes,
        protocol: ctx.protocol,
        env: JSON.stringify(quarantineEnv(repo, env)),
        ...actorOfGlId(ctx.glId),
        ...(options ? { push_options: options } : {}),
      })
    ).body;
    if (!allowed || allowed.status !== true) throw new ApiError(allowed?.message ?? 'Parsing failed');
    const counter = (await api.post('/pre_receive', { gl_repository: ctx.glRepository })).body;
    if (!counter?.reference_counter_increased) throw new ApiError('Reference counter could not be increased');
    return 0;
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    stderr.write(`GitLab: ${err.message}\n`);
    return 1;
  }
}

/** Points HEAD at a branch of this push when it names no branch yet (what GitLab does on a first push). */
export function repairHead(repo, changes, gitBin = 'git') {
  const git = (args) => execFileSync(gitBin, [`--git-dir=${repo}`, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  let head;
  try {
    head = git(['symbolic-ref', 'HEAD']);
    git(['rev-parse', '--verify', '--quiet', head]);
    return;
  } catch {
    // HEAD names a branch that does not exist
  }
  const created = changes
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 3 && BLANK.test(f[0]) && !BLANK.test(f[1]) && f[2].startsWith('refs/heads/'))
    .map((f) => f[2]);
  const target = created.includes('refs/heads/main') ? 'refs/heads/main' : created[0];
  if (target && target !== head) {
    try {
      git(['symbolic-ref', 'HEAD', target]);
    } catch {
      // best effort
    }
  }
}

export async function postReceive({ config, env = process.env, stdin = process.stdin, stdout = process.stdout, stderr = process.stderr, repo = process.cwd() }) {
  try {
    const ctx = hookContext(env);
    const changes = await readAll(stdin);
    const res = (
      await new InternalApi(config).post('/post_receive', {
        gl_repository: ctx.glRepository,
        identifier: ctx.glId,
        changes,
        push_options: pushOptions(env),
      })
    ).body;
    if (!res?.reference_counter_decreased) throw new ApiError('Reference counter could not be decreased');
    repairHead(repo, changes, config.gitBin);
    const messages = Array.isArray(res.messages) ? res.messages : [];
    stdout.write(formatMessages(messages));
    return 0;
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    stderr.write(`GitLab: ${err.message}\n`);
    return 1;
  }
}
