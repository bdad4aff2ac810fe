/**
 * Real git over real SSH: OpenSSH's sshd (AuthorizedKeysCommand / AuthorizedPrincipalsCommand = the shell
 * programs), the shell's forced command, git's own upload-pack / receive-pack with the server hooks, and the
 * built service in its own process on an embedded database with a local storage. Everything is driven with
 * the `git` and `ssh` clients as a GitLab user drives them.
 */
import { createHash, createHmac } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  freePort,
  makeKey,
  prerequisites,
  removeDir,
  run,
  RunResult,
  Service,
  SHELL_BIN,
  Sshd,
  sshdSafeDir,
  startService,
  startSshd,
  tempDir,
} from './support';

const pre = prerequisites();
if ('missing' in pre) {
  // eslint-disable-next-line no-console
  console.log(`git over SSH suite skipped: ${pre.missing}`);
}
const suite = 'missing' in pre ? describe.skip : describe;

const PROTECTED = 'You are not allowed to push code to protected branches on this project.';
const FORCE = 'You are not allowed to force push code to a protected branch on this project.';

function totp(secretBase32: string, step: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secretBase32) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const h = createHmac('sha1', key).update(counter).digest();
  const o = h[h.length - 1] & 0xf;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

suite('git over SSH (sshd + shell programs + server hooks + service)', () => {
  const bins = pre as Exclude<typeof pre, { missing: string }>;
  let dir: string;
  let safeDir: string;
  let service: Service;
  let sshd: Sshd & { shellConfig: string };
  const keys: Record<string, { file: string; pub: string }> = {};
  let project: { id: number; default_branch: string | null };
  let remote: string;
  let work = 0;
  const users: Record<string, { id: number }> = {};

  const sshArgs = (key: string) => [
    '-F',
    '/dev/null',
    '-i',
    keys[key].file,
    '-p',
    String(sshd.port),
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=no',
    '-o',
    'UserKnownHostsFile=/dev/null',
    '-o',
    'LogLevel=ERROR',
  ];
  const env = (key: string) => ({
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Tester',
    GIT_AUTHOR_EMAIL: 'tester@example.com',
    GIT_COMMITTER_NAME: 'Tester',
    GIT_COMMITTER_EMAIL: 'tester@example.com',
    GIT_SSH_COMMAND: ['ssh', ...sshArgs(key)].join(' '),
  });
  const git = (key: string, args: string[], cwd?: string) => run(bins.git, args, { cwd, env: env(key), timeoutMs: 60_000 });
  const ssh = (key: string, command: string[], input?: string) =>
    run(bins.ssh, [...sshArgs(key), '-T', `${sshd.user}@127.0.0.1`, ...command], { env: env(key), input, timeoutMs: 60_000 });
  const ok = (r: RunResult) => {
    if (r.code !== 0) throw new Error(`exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}\nsshd: ${sshd.log().slice(-3000)}`);
    return r;
  };
  /** A fresh clone of grp/priv by `key`, with a commit on top of `branch` (created when missing). */
  async function cloneAndCommit(key: string, branch: string, file: string): Promise<string> {
    const wd = join(dir, `work${++work}`);
    ok(await git(key, ['clone', '--quiet', remote, wd]));
    const heads = (await git(key, ['branch', '-a'], wd)).stdout;
    ok(await git(key, heads.includes(`remotes/origin/${branch}`) ? ['checkout', '-q', branch] : ['checkout', '-q', '-b', branch], wd));
    writeFileSync(join(wd, file), `${file} ${work}\n`);
    ok(await git(key, ['add', file], wd));
    ok(await git(key, ['commit', '-q', '-m', `add ${file}`], wd));
    return wd;
  }
  /** The branch's commit in the service's bare repository (read on disk: no SSH round trip). */
  const remoteHead = async (branch: string) =>
    (
      await run(bins.git, [
        `--git-dir=${repoDir(service.storagePath, project.id)}`,
        'rev-parse',
        '--verify',
        '--quiet',
        `refs/heads/${branch}`,
      ])
    ).stdout.trim();

  beforeAll(async () => {
    dir = tempDir();
    safeDir = sshdSafeDir();
    const sshPort = await freePort();
    service = await startService(dir, sshPort);
    for (const name of ['alice', 'mia', 'bob', 'eve', 'deploy', 'stranger', 'ca', 'alicecert', 'alicesoon'])
      keys[name] = makeKey(bins.sshKeygen, dir, name);
    sshd = await startSshd(bins, dir, safeDir, service, sshPort, `${keys.ca.file}.pub`);
    remote = `ssh://${sshd.user}@127.0.0.1:${sshd.port}/grp/priv.git`;

    const { api } = service;
    for (const name of ['alice', 'mia', 'bob', 'eve']) {
      const u = await api('POST', '/users', {
        email: `${name}@example.com`,
        name: `${name[0].toUpperCase()}${name.slice(1)} Example`,
        username: name,
      });
      expect(u.status).toBe(201);
      users[name] = u.body;
      expect((await api('POST', `/users/${name}/keys`, { title: `K${name}`, key: keys[name].pub })).status).toBe(201);
    }
    const grp = await api('POST', '/groups', { name: 'Group', path: 'grp', visibility: 'private' });
    expect(grp.status).toBe(201);
    const created = await api('POST', '/projects', { path: 'priv', namespace_id: grp.body.id, visibility: 'private' });
    expect(created.status).toBe(201);
    project = created.body;
    expect((await api('POST', '/groups/grp/members', { user_id: users.alice.id, access_level: 30 })).status).toBe(201);
    expect((await api('POST', '/groups/grp/members', { user_id: users.bob.id, access_level: 30 })).status).toBe(201);
    expect((await api('POST', '/groups/grp/members', { user_id: users.mia.id, access_level: 40 })).status).toBe(201);
    expect((await api('POST', `/projects/${project.id}/protected_branches`, { name: 'main' })).status).toBe(201);
    expect(
      (
        await api('POST', `/projects/${project.id}/deploy_keys`, {
          title: 'ro',
          key: keys.deploy.pub,
          can_push: false,
          user_id: users.mia.id,
        })
      ).status,
    ).toBe(201);
    expect((await api('POST', '/broadcast_messages', { message: 'Maintenance tonight' })).status).toBe(201);
    // certificate logins: the CA is trusted by grp, alice is an enterprise user of grp
    expect((await api('POST', `/groups/${grp.body.id}/ssh_certificates`, { title: 'ca', key: keys.ca.pub })).status).toBe(201);
    expect((await api('PUT', '/users/alice', { enterprise_group_id: grp.body.id })).status).toBe(200);
    ok(
      await run(bins.sshKeygen, ['-q', '-s', keys.ca.file, '-I', 'alice', '-n', sshd.user, '-V', '-5m:+1h', `${keys.alicecert.file}.pub`]),
    );
  }, 180_000);

  afterAll(async () => {
    await sshd?.stop();
    await service?.stop();
    removeDir(safeDir);
    removeDir(dir);
  });

  it('the project repository is a bare repository with the server hooks linked in', () => {
    const repo = repoDir(service.storagePath, project.id);
    expect(readFileSync(join(repo, 'HEAD'), 'utf8').trim()).toBe('ref: refs/heads/main');
    for (const hook of ['pre-receive', 'post-receive'])
      expect(readFileSync(join(repo, 'hooks', hook), 'utf8')).toContain('#!/usr/bin/env node');
  });

  it('ssh with no command prints the welcome line', async () => {
    const r = ok(await ssh('alice', []));
    expect(r.stdout).toBe('Welcome to GitLab, @alice!\n');
  });

  it('an unknown key is refused by sshd', async () => {
    const r = await ssh('stranger', []);
    expect(r.code).toBe(255);
    expect(r.stderr).toContain('Permission denied (publickey)');
  });

  it('a maintainer pushes the first commit to the protected main branch; post-receive sets the default branch', async () => {
    const wd = join(dir, 'first');
    mkdirSync(wd);
    ok(await git('mia', ['init', '-q', '-b', 'main'], wd));
    writeFileSync(join(wd, 'README.md'), '# priv\n');
    ok(await git('mia', ['add', 'README.md'], wd));
    ok(await git('mia', ['commit', '-q', '-m', 'initial'], wd));
    ok(await git('mia', ['remote', 'add', 'origin', remote], wd));
    const r = ok(await git('mia', ['push', 'origin', 'main'], wd));
    expect(r.stderr).toContain('Maintenance tonight');
    const after = await service.api('GET', `/projects/${project.id}`);
    expect(after.body.default_branch).toBe('main');
  });

  it('a developer clones the private project', async () => {
    const wd = join(dir, 'clone-alice');
    const r = ok(await git('alice', ['clone', remote, wd]));
    expect(r.stderr).toContain('Cloning into');
    expect(readFileSync(join(wd, 'README.md'), 'utf8')).toBe('# priv\n');
  });

  it('a push to a new path of her namespace creates a private project with the server hooks', async () => {
    const r = ok(await git('alice', ['push', `ssh://${sshd.user}@127.0.0.1:${sshd.port}/alice/newproj.git`, 'main'], join(dir, 'first')));
    expect(r.stderr).toContain('remote: The private project alice/newproj was successfully created.');
    const created = await service.api('GET', `/projects/${encodeURIComponent('alice/newproj')}`);
    expect(created.status).toBe(200);
    expect(created.body.visibility).toBe('private');
    expect(created.body.default_branch).toBe('main');
    expect(readFileSync(join(repoDir(service.storagePath, created.body.id), 'hooks', 'post-receive'), 'utf8')).toContain('postReceive');
  });

  it("the API's console messages reach the client: a key expiring within a week is announced", async () => {
    const soon = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    expect(
      (await service.api('POST', `/users/${users.alice.id}/keys`, { title: 'soon', key: keys.alicesoon.pub, expires_at: soon })).status,
    ).toBe(201);
    const r = ok(await git('alicesoon', ['ls-remote', remote, 'refs/heads/main']));
    expect(r.stderr).toBe('remote: \nremote: INFO: Your SSH key is expiring soon. Please generate a new key.\nremote: \n');
    expect(r.stdout).toMatch(/^[0-9a-f]{40}\trefs\/heads\/main\n$/);
  });

  it('a developer pushes an unprotected branch; the post-receive messages reach the client', async () => {
    const wd = await cloneAndCommit('alice', 'feature', 'feature.txt');
    const r = ok(await git('alice', ['push', 'origin', 'feature'], wd));
    expect(r.stderr).toContain('remote: To create a merge request for feature, visit:');
    expect(r.stderr).toContain(`remote:   ${service.url}/grp/priv/-/merge_requests/new?merge_request%5Bsource_branch%5D=feature`);
    expect(r.stderr).toContain('Maintenance tonight');
    expect(await remoteHead('feature')).toBe((await git('alice', ['rev-parse', 'HEAD'], wd)).stdout.trim());
  });

  it("a developer's push to the protected branch is refused with GitLab's message", async () => {
    const before = await remoteHead('main');
    expect(before).toMatch(/^[0-9a-f]{40}$/);
    const wd = await cloneAndCommit('alice', 'main', 'dev.txt');
    const r = await git('alice', ['push', 'origin', 'main'], wd);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`remote: GitLab: ${PROTECTED}`);
    expect(r.stderr).toContain('[remote rejected] main -> main (pre-receive hook declined)');
    expect(await remoteHead('main')).toBe(before);
  });

  it('the same push by a maintainer is accepted', async () => {
    const wd = await cloneAndCommit('mia', 'main', 'maint.txt');
    ok(await git('mia', ['push', 'origin', 'main'], wd));
    expect(await remoteHead('main')).toBe((await git('mia', ['rev-parse', 'HEAD'], wd)).stdout.trim());
  });

  it('a force push to the protected branch is refused, even for a maintainer', async () => {
    const before = await remoteHead('main');
    const wd = await cloneAndCommit('mia', 'main', 'rewrite.txt');
    ok(await git('mia', ['reset', '-q', '--hard', 'HEAD~2'], wd));
    writeFileSync(join(wd, 'other.txt'), 'history rewritten\n');
    ok(await git('mia', ['add', 'other.txt'], wd));
    ok(await git('mia', ['commit', '-q', '-m', 'rewrite'], wd));
    const r = await git('mia', ['push', '--force', 'origin', 'main'], wd);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`remote: GitLab: ${FORCE}`);
    expect(await remoteHead('main')).toBe(before);
  });

  it('a read-only deploy key clones but cannot push', async () => {
    const wd = join(dir, 'clone-deploy');
    ok(await git('deploy', ['clone', '--quiet', remote, wd]));
    writeFileSync(join(wd, 'deploy.txt'), 'x\n');
    ok(await git('deploy', ['add', 'deploy.txt'], wd));
    ok(await git('deploy', ['commit', '-q', '-m', 'deploy'], wd));
    ok(await git('deploy', ['checkout', '-q', '-b', 'from-deploy'], wd));
    const r = await git('deploy', ['push', 'origin', 'from-deploy'], wd);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('remote: This deploy key does not have write access to this project.');
    expect(r.stderr).toContain('remote: ' + '='.repeat(72));
  });

  it('git archive --remote runs git-upload-archive on the repository', async () => {
    const r = await run(bins.git, ['archive', '--format=tar', `--remote=${remote}`, 'main', 'README.md'], {
      env: env('alice'),
      timeoutMs: 60_000,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('README.md');
    expect(r.stdout).toContain('# priv\n');
  });

  it('a user without access does not see the private project', async () => {
    const r = await git('eve', ['clone', remote, join(dir, 'clone-eve')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("remote: The project you were looking for could not be found or you don't have permission to view it.");
  });

  it('a blocked user is denied', async () => {
    ok(await git('bob', ['ls-remote', remote]));
    expect((await service.api('POST', '/users/bob/block')).status).toBe(201);
    const r = await git('bob', ['clone', remote, join(dir, 'clone-bob')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('remote: Your account has been blocked.');
  });

  it('a user certificate signed by the CA a group trusts logs in as the user it names', async () => {
    const r = await run(bins.git, ['clone', '--quiet', remote, join(dir, 'clone-cert')], {
      env: {
        ...env('alicecert'),
        GIT_SSH_COMMAND: ['ssh', ...sshArgs('alicecert'), '-o', `CertificateFile=${keys.alicecert.file}-cert.pub`].join(' '),
      },
      timeoutMs: 60_000,
    });
    ok(r);
    expect(readFileSync(join(dir, 'clone-cert', 'README.md'), 'utf8')).toBe('# priv\n');
  });

  it('personal_access_token creates a token the admin API accepts', async () => {
    const r = ok(await ssh('alice', ['personal_access_token', 'cli', 'read_api,read_repository', '7']));
    const m = /^Token:   (glpat-[A-Za-z0-9_-]{20})\nScopes:  read_api,read_repository\nExpires: (\d{4}-\d{2}-\d{2})\n$/.exec(r.stdout);
    expect(m).not.toBeNull();
    const res = await fetch(`${service.url}/api/v4/users/alice`, { headers: { 'PRIVATE-TOKEN': m![1] } });
    expect(res.status).toBe(403); // a valid token of a non-admin: authenticated, not allowed (an unknown one is 401)
    const bad = await ssh('alice', ['personal_access_token', 'cli']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('remote: Usage: personal_access_token <name> <scope1[,scope2,...]> [ttl_days]\n');
  });

  it('2fa_recovery_codes and 2fa_verify talk to the 2FA routes', async () => {
    const declined = ok(await ssh('alice', ['2fa_recovery_codes'], 'no\n'));
    expect(declined.stdout).toContain('New recovery codes have *not* been generated. Existing codes will remain valid.');
    const notEnabled = ok(await ssh('alice', ['2fa_recovery_codes'], 'yes\n'));
    expect(notEnabled.stdout).toContain(
      'An error occurred while trying to generate new recovery codes.\nTwo-factor authentication is not enabled for this user\n',
    );
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    expect((await service.api('POST', `/users/${users.alice.id}/two_factor`, { otp_secret: secret })).status).toBe(201);
    const codes = ok(await ssh('alice', ['2fa_recovery_codes'], 'yes\n'));
    expect(codes.stdout).toMatch(/Your two-factor authentication recovery codes are:\n\n([0-9a-f]{16}\n){9}[0-9a-f]{16}\n\nDuring sign in/);
    const step = Math.floor(Date.now() / 1000 / 30);
    const verified = ok(await ssh('alice', ['2fa_verify'], `${totp(secret, step)}\n`));
    expect(verified.stdout).toBe('OTP: \nOTP validation successful. Git operations are now allowed.\n');
    const wrong = ok(await ssh('alice', ['2fa_verify'], '000000\n'));
    expect(wrong.stdout).toBe('OTP: \nOTP validation failed: Invalid OTP\n');
  });

  it('git-lfs-authenticate prints the LFS endpoint and a Basic credential', async () => {
    const r = ok(await ssh('alice', ['git-lfs-authenticate', 'grp/priv.git', 'download']));
    const payload = JSON.parse(r.stdout);
    expect(payload.href).toBe(`${service.url}/grp/priv.git/info/lfs`);
    expect(payload.expires_in).toBe(7200);
    expect(Buffer.from(payload.header.Authorization.replace(/^Basic /, ''), 'base64').toString()).toMatch(/^alice:ey/);
  });

  it('an unknown command is refused as gitlab-shell refuses it', async () => {
    const r = await ssh('alice', ['rm', '-rf', '/']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Disallowed command\n');
    const lfs = await ssh('alice', ['git-lfs-authenticate', 'grp/priv.git', 'delete']);
    expect(lfs.code).toBe(1);
    expect(lfs.stderr).toBe(
      `remote: \nremote: ${'='.repeat(72)}\nremote: \nremote: Disallowed command\nremote: \nremote: ${'='.repeat(72)}\nremote: \n`,
    );
  });

  describe('the forced command and the hooks outside an SSH session', () => {
    const shellEnv = () => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', GITLAB_SHELL_CONFIG: sshd.shellConfig });

    it('gitlab-shell refuses to run without an SSH connection', async () => {
      const r = await run(process.execPath, [join(SHELL_BIN, 'gitlab-shell'), 'key-1'], { env: shellEnv() });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('Only SSH allowed\n');
    });

    it('the hooks refuse a push that did not come through the forced command', async () => {
      const repo = repoDir(service.storagePath, project.id);
      for (const hook of ['pre-receive', 'post-receive']) {
        const r = await run(join(repo, 'hooks', hook), [], {
          cwd: repo,
          env: shellEnv(),
          input: `${'0'.repeat(40)} ${'1'.repeat(40)} refs/heads/x\n`,
        });
        expect(r.code).toBe(1);
        expect(r.stderr).toBe('GitLab: this repository accepts pushes only through GitLab (GL_REPOSITORY and GL_ID are not set)\n');
      }
    });
  });

  describe('authorized-principals-check as sshd runs it', () => {
    const check = (args: string[]) =>
      run(process.execPath, [join(SHELL_BIN, 'gitlab-shell-authorized-principals-check'), ...args], {
        env: { GITLAB_SHELL_CONFIG: sshd.shellConfig },
      });
    const caFingerprint = async () => (await run(bins.sshKeygen, ['-l', '-E', 'sha256', '-f', `${keys.ca.file}.pub`])).stdout.split(' ')[1];

    it('names the user and the group of a certificate whose CA the group trusts', async () => {
      const r = ok(await check(['--ca-fingerprint', await caFingerprint(), 'alice', sshd.user]));
      expect(r.stdout).toBe(
        `command="${join(safeDir, 'gitlab-shell')} username-alice namespace-grp",no-port-forwarding,no-X11-forwarding,no-agent-forwarding,no-pty ${sshd.user}\n`,
      );
    });

    it('prints no principal for an unknown CA or a user the group does not know', async () => {
      expect(ok(await check(['--ca-fingerprint', 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'alice', sshd.user])).stdout).toBe(
        '# Certificate Not Found\n',
      );
      expect(ok(await check(['--ca-fingerprint', await caFingerprint(), 'eve', sshd.user])).stdout).toBe('# User Not Found\n');
    });

    it("without a CA fingerprint it prints gitlab-shell's static lines", async () => {
      const r = ok(await check(['alice', 'git', 'ops']));
      expect(r.stdout.split('\n')[1]).toBe(
        `command="${join(safeDir, 'gitlab-shell')} username-alice",no-port-forwarding,no-X11-forwarding,no-agent-forwarding,no-pty ops`,
      );
    });
  });

  describe('authorized-keys-check as sshd runs it', () => {
    const check = (args: string[]) =>
      run(process.execPath, [join(SHELL_BIN, 'gitlab-shell-authorized-keys-check'), ...args], {
        env: { GITLAB_SHELL_CONFIG: sshd.shellConfig },
      });
    const blob = (name: string) => keys[name].pub.split(' ')[1];

    it('prints the forced-command line of a known key', async () => {
      const keyId = (await service.api('GET', '/users/alice/keys')).body[0].id;
      const r = ok(await check([sshd.user, sshd.user, blob('alice')]));
      expect(r.stdout).toBe(
        `command="${join(safeDir, 'gitlab-shell')} key-${keyId}",` +
          `no-port-forwarding,no-X11-forwarding,no-agent-forwarding,no-pty ssh-ed25519 ${blob('alice')} Alice Example (127.0.0.1)\n`,
      );
    });

    it('prints a comment for an unknown key and nothing for another login user', async () => {
      expect(ok(await check([sshd.user, sshd.user, blob('stranger')])).stdout).toBe(`# No key was found for ${blob('stranger')}\n`);
      expect(ok(await check(['git', 'someoneelse', blob('alice')])).stdout).toBe('');
    });

    it('rejects wrong arguments with gitlab-shell usage text', async () => {
      const r = await check(['git', 'git']);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        '# Insufficient arguments. 2. Usage\n#\tgitlab-shell-authorized-keys-check <expected-username> <actual-username> <key>\n',
      );
    });
  });
});

/** `<storage>/@hashed/xx/yy/<sha256(id)>.git` */
function repoDir(storage: string, id: number): string {
  const h = createHash('sha256').update(String(id)).digest('hex');
  return join(storage, '@hashed', h.slice(0, 2), h.slice(2, 4), `${h}.git`);
}
