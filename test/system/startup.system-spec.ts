/**
 * The built service as an operator starts it (`node dist/main.js`): what it writes while starting, and how it
 * refuses to start. Part of the system suite (`npm run test:system`, which builds first).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const MAIN = resolve(__dirname, '../../dist/main.js');
const KAS = Buffer.alloc(32, 7).toString('base64');

interface Run {
  code: number | null;
  ms: number;
  stdout: string;
  stderr: string;
  lines: string[];
}

/** Environment of a child: none of the suite's DATABASE_URL/REDIS_URL unless given. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'info', DB_KEY_BASE: 'startup-test-key-base-0123456789' };
  return { ...base, ...env };
}

function start(cwd: string, env: Record<string, string>, opts: { uid?: number; gid?: number } = {}): { child: ChildProcess; done: Promise<Run> } {
  const began = Date.now();
  const child = spawn(process.execPath, [MAIN], { cwd, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Run>((resolveRun) =>
    child.on('close', (code) => {
      const lines = (stdout + stderr).split('\n').filter((l) => l.length > 0);
      resolveRun({ code, ms: Date.now() - began, stdout, stderr, lines });
    }),
  );
  return { child, done };
}

const run = (cwd: string, env: Record<string, string>, opts?: { uid?: number; gid?: number }) => start(cwd, env, opts).done;

/** The one line of a refused start: JSON, level fatal (60), its message. */
function refusal(r: Run): string {
  expect(r.code).toBe(1);
  const fatal = r.lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level >= 50);
  expect(fatal).toHaveLength(1);
  expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  return fatal[0].msg;
}

async function closedPort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => done(port));
    });
  });
}

describe('node dist/main.js', () => {
  let dir: string;
  let secrets: Record<string, string>;
  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build (npm test does)`);
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gia-start-'));
    writeFileSync(join(dir, 'shell'), 's3cr3t\n');
    writeFileSync(join(dir, 'kas'), `${KAS}\n`);
    secrets = { GITLAB_SHELL_SECRET_FILE: join(dir, 'shell'), GITLAB_KAS_SECRET_FILE: join(dir, 'kas') };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses an empty shell secret file, a blank kas file and empty previous files, naming the variable and path', async () => {
    writeFileSync(join(dir, 'empty'), '');
    writeFileSync(join(dir, 'blank'), ' \n\t\n');
    const cases: [string, Record<string, string>][] = [
      ['GITLAB_SHELL_SECRET_FILE', { GITLAB_SHELL_SECRET_FILE: join(dir, 'empty') }],
      ['GITLAB_KAS_SECRET_FILE', { GITLAB_KAS_SECRET_FILE: join(dir, 'blank') }],
      ['GITLAB_SHELL_PREVIOUS_SECRET_FILE', { GITLAB_SHELL_PREVIOUS_SECRET_FILE: join(dir, 'blank') }],
      ['GITLAB_KAS_PREVIOUS_SECRET_FILE', { GITLAB_KAS_PREVIOUS_SECRET_FILE: join(dir, 'empty') }],
    ];
    const runs = await Promise.all(cases.map(([, env]) => run(dir, { ...secrets, ...env, DATA_DIR: join(dir, 'data') })));
    runs.forEach((r, i) => {
      const [variable, env] = cases[i];
      expect(refusal(r)).toBe(`${variable}: ${env[variable]} is empty or holds only whitespace: it must hold the secret`);
    });
    expect(existsSync(join(dir, 'data'))).toBe(false); // refused before the database was touched
  });

  it('refuses a directory, a missing previous file and (as another user) an unreadable file in one line', async () => {
    mkdirSync(join(dir, 'adir'));
    const isRoot = process.getuid?.() === 0;
    const [asDir, missing] = await Promise.all([
      run(dir, { ...secrets, GITLAB_SHELL_SECRET_FILE: join(dir, 'adir') }),
      run(dir, { ...secrets, GITLAB_KAS_PREVIOUS_SECRET_FILE: join(dir, 'nope') }),
    ]);
    expect(refusal(asDir)).toBe(`GITLAB_SHELL_SECRET_FILE: ${join(dir, 'adir')} is a directory, not a file`);
    expect(refusal(missing)).toBe(`GITLAB_KAS_PREVIOUS_SECRET_FILE: ${join(dir, 'nope')} does not exist`);
    expect(existsSync(join(dir, 'nope'))).toBe(false);

    // unreadable: the file belongs to root with mode 0600 and the service runs as nobody (root reads anything)
    writeFileSync(join(dir, 'private'), `${KAS}\n`, { mode: 0o600 });
    if (isRoot) {
      const nobody = 65534;
      const work = join(dir, 'work');
      mkdirSync(work);
      chmodSync(dir, 0o755);
      chownSync(work, nobody, nobody);
      const r = await run(work, { ...secrets, GITLAB_KAS_SECRET_FILE: join(dir, 'private'), GITLAB_SHELL_SECRET_FILE: join(work, 'shell') }, { uid: nobody, gid: nobody });
      expect(refusal(r)).toBe(`GITLAB_KAS_SECRET_FILE: ${join(dir, 'private')} cannot be read (permission denied)`);
    } else {
      process.stdout.write('[startup] not root: the unreadable-file case runs as the current user\n');
      chmodSync(join(dir, 'private'), 0o000);
      const r = await run(dir, { ...secrets, GITLAB_KAS_SECRET_FILE: join(dir, 'private') });
      expect(refusal(r)).toBe(`GITLAB_KAS_SECRET_FILE: ${join(dir, 'private')} cannot be read (permission denied)`);
    }
  });

  it('npm run jwt refuses an empty shell secret file in one line instead of signing with an empty key', async () => {
    writeFileSync(join(dir, 'shell'), '\n');
    const child = spawn(process.execPath, [resolve(__dirname, '../../dist/scripts/sign-jwt.js'), 'shell'], { cwd: dir, env: childEnv(secrets) });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise((done) => child.on('close', done));
    expect(code).toBe(1);
    expect(out.trim()).toBe(`GITLAB_SHELL_SECRET_FILE: ${join(dir, 'shell')} is empty or holds only whitespace: it must hold the secret`);
  });

  it('an unreachable DATABASE_URL fails within 10 s in one JSON line naming the variable, password masked', async () => {
    const port = await closedPort();
    const url = `postgres://gia:hunter2-secret@127.0.0.1:${port}/gia`;
    const r = await run(dir, { ...secrets, DATABASE_URL: url });
    expect(r.ms).toBeLessThan(10_000);
    const msg = refusal(r);
    expect(msg).toBe(`DATABASE_URL postgres://gia:*****@127.0.0.1:${port}/gia is unreachable: connect ECONNREFUSED 127.0.0.1:${port}`);
    expect(r.stdout + r.stderr).not.toContain('hunter2-secret');
    expect(r.lines).toHaveLength(1);
  });

  it('writes every start-up line as one pino JSON line, Nest’s own lines before "listening"', async () => {
    const port = await closedPort();
    const { child, done } = start(dir, { ...secrets, DATA_DIR: join(dir, 'data'), PORT: String(port) });
    let stdout = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    await new Promise<void>((ready, fail) => {
      const timer = setTimeout(() => fail(new Error(`not listening after 90 s:\n${stdout}`)), 90_000);
      const poll = setInterval(() => {
        if (/listening on http/.test(stdout)) {
          clearInterval(poll);
          clearTimeout(timer);
          ready();
        }
      }, 100);
      child.on('close', () => {
        clearInterval(poll);
        clearTimeout(timer);
        fail(new Error(`exited before listening:\n${stdout}`));
      });
    });
    child.kill('SIGTERM');
    const r = await done;
    expect(r.stdout + r.stderr).not.toContain('\u001b['); // no ANSI colours
    const entries = r.lines.map((line) => {
      let parsed: { level: number; time: number; msg: string; context?: string };
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new Error(`not a JSON line: ${line}`);
      }
      expect(typeof parsed.level).toBe('number');
      expect(typeof parsed.time).toBe('number');
      expect(typeof parsed.msg).toBe('string');
      return parsed;
    });
    const index = (re: RegExp) => entries.findIndex((e) => re.test(e.msg));
    const starting = index(/^Starting Nest application/);
    const started = index(/^Nest application successfully started/);
    const listening = index(/^listening on http:\/\/127\.0\.0\.1:/);
    expect(starting).toBeGreaterThanOrEqual(0);
    expect(started).toBeGreaterThan(starting);
    expect(listening).toBeGreaterThan(started);
    // a first start in an empty DATA_DIR unpacks the cluster template shipped in dist/ instead of running initdb
    expect(index(/^created a new embedded database in .+ from the cluster template$/)).toBeGreaterThanOrEqual(0);
    const times = entries.slice(0, listening + 1).map((e) => e.time);
    expect(times).toEqual([...times].sort((a, b) => a - b)); // written in the order they happened
  }, 120_000);
});
