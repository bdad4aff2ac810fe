import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/config';
import { loadJwtSecrets, SecretFileError } from './secret-files';

describe('secret files', () => {
  let dir: string;
  const kas = Buffer.alloc(32, 7).toString('base64');
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gia-secrets-'));
    writeFileSync(join(dir, 'shell'), 's3cr3t\n');
    writeFileSync(join(dir, 'kas'), `${kas}\n`);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const load = (env: Record<string, string>) =>
    loadJwtSecrets(loadConfig({ GITLAB_SHELL_SECRET_FILE: join(dir, 'shell'), GITLAB_KAS_SECRET_FILE: join(dir, 'kas'), ...env }));
  const failure = (env: Record<string, string>): SecretFileError => {
    try {
      load(env);
    } catch (err) {
      expect(err).toBeInstanceOf(SecretFileError);
      expect((err as Error).message).not.toContain('\n');
      return err as SecretFileError;
    }
    throw new Error('expected the secret files to be refused');
  };

  it('reads every configured file, trimmed', () => {
    writeFileSync(join(dir, 'shell.old'), '  old \r\n');
    writeFileSync(join(dir, 'kas.old'), Buffer.alloc(32, 9).toString('base64'));
    const s = load({ GITLAB_SHELL_PREVIOUS_SECRET_FILE: join(dir, 'shell.old'), GITLAB_KAS_PREVIOUS_SECRET_FILE: join(dir, 'kas.old') });
    expect(s.shell).toBe('s3cr3t');
    expect(s.shellPrevious).toBe('old');
    expect(s.kas.equals(Buffer.alloc(32, 7))).toBe(true);
    expect(s.kasPrevious!.equals(Buffer.alloc(32, 9))).toBe(true);
  });

  it.each([
    ['GITLAB_SHELL_SECRET_FILE', '', 'shell'],
    ['GITLAB_SHELL_SECRET_FILE', ' \n\t \r\n', 'shell'],
    ['GITLAB_KAS_SECRET_FILE', '', 'kas'],
    ['GITLAB_KAS_SECRET_FILE', '   \n', 'kas'],
  ])('%s holding %j is refused', (variable, content, file) => {
    writeFileSync(join(dir, file), content);
    const err = failure({});
    expect(err.variable).toBe(variable);
    expect(err.message).toBe(`${variable}: ${join(dir, file)} is empty or holds only whitespace: it must hold the secret`);
  });

  it.each(['GITLAB_SHELL_PREVIOUS_SECRET_FILE', 'GITLAB_KAS_PREVIOUS_SECRET_FILE'])('%s: empty, blank, missing or a directory is refused', (variable) => {
    const path = join(dir, 'previous');
    writeFileSync(path, '');
    expect(failure({ [variable]: path }).message).toBe(`${variable}: ${path} is empty or holds only whitespace: it must hold the secret`);
    writeFileSync(path, '\n \n');
    expect(failure({ [variable]: path }).variable).toBe(variable);
    rmSync(path);
    expect(failure({ [variable]: path }).message).toBe(`${variable}: ${path} does not exist`);
    expect(existsSync(path)).toBe(false); // previous files are never generated
    mkdirSync(path);
    expect(failure({ [variable]: path }).message).toBe(`${variable}: ${path} is a directory, not a file`);
  });

  it('a kas file that is not the base64 of 32 bytes is refused', () => {
    writeFileSync(join(dir, 'kas'), Buffer.alloc(16, 1).toString('base64'));
    expect(failure({}).message).toBe(`GITLAB_KAS_SECRET_FILE: ${join(dir, 'kas')} must hold the base64 encoding of 32 bytes (found 16 bytes)`);
    writeFileSync(join(dir, 'kas'), 'not base64 at all, but long enough to decode to 32 bytes!!');
    expect(failure({}).variable).toBe('GITLAB_KAS_SECRET_FILE');
  });

  it('a directory or an unreadable file as the current secret is refused, never replaced', () => {
    mkdirSync(join(dir, 'shelldir'));
    expect(failure({ GITLAB_SHELL_SECRET_FILE: join(dir, 'shelldir') }).message).toBe(`GITLAB_SHELL_SECRET_FILE: ${join(dir, 'shelldir')} is a directory, not a file`);
    if (process.getuid?.() !== 0) {
      chmodSync(join(dir, 'kas'), 0o000);
      expect(failure({}).message).toBe(`GITLAB_KAS_SECRET_FILE: ${join(dir, 'kas')} cannot be read (permission denied)`);
    }
  });

  it('missing current shell and kas files are generated (mode 0600) and then read', () => {
    const s = loadJwtSecrets(loadConfig({ GITLAB_SHELL_SECRET_FILE: join(dir, 'new/shell'), GITLAB_KAS_SECRET_FILE: join(dir, 'new/kas') }));
    expect(readFileSync(join(dir, 'new/shell'), 'utf8').trim()).toBe(s.shell);
    expect(statSync(join(dir, 'new/shell')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'new/kas')).mode & 0o777).toBe(0o600);
    expect(s.shell).toMatch(/^[0-9a-f]{32}$/);
    expect(s.kas).toHaveLength(32);
  });
});
