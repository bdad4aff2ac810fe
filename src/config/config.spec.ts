import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig, VARIABLES } from './config';

describe('configuration', () => {
  it('has working defaults for a zero-configuration start', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toBe('./data');
    expect(config.gitalyStorages.default.address).toBe('unix:/var/opt/gitlab/gitaly/gitaly.socket');
    expect(config.sshHost).toBe('localhost');
    expect(config.gitlabLicensePlan).toBe('ultimate');
    expect(config.dbKeyBaseGenerated).toBe(true);
  });

  it('names every bad variable at once', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', GITLAB_SAAS: 'maybe', GITLAB_LICENSE_PLAN: 'gold', GITALY_STORAGES: '[' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = error!.problems.join('\n');
    for (const name of ['PORT', 'DATABASE_URL', 'GITLAB_SAAS', 'GITLAB_LICENSE_PLAN', 'GITALY_STORAGES']) expect(text).toContain(name);
  });

  it('DATABASE_REPLICA_MAX_LAG_SECONDS: 10 by default, a positive number of seconds', () => {
    expect(loadConfig({}).databaseReplicaMaxLagSeconds).toBe(10);
    expect(loadConfig({ DATABASE_REPLICA_MAX_LAG_SECONDS: '2.5' }).databaseReplicaMaxLagSeconds).toBe(2.5);
    for (const bad of ['0', '-1', 'soon']) {
      expect(() => loadConfig({ DATABASE_REPLICA_MAX_LAG_SECONDS: bad })).toThrow(
        /DATABASE_REPLICA_MAX_LAG_SECONDS must be a positive number/,
      );
    }
  });

  it('normalises RELATIVE_URL_ROOT and EXTERNAL_URL', () => {
    const config = loadConfig({ RELATIVE_URL_ROOT: 'gitlab/', EXTERNAL_URL: 'https://git.example.com/gitlab/' });
    expect(config.relativeUrlRoot).toBe('/gitlab');
    expect(config.externalUrl).toBe('https://git.example.com/gitlab');
    expect(config.sshHost).toBe('git.example.com');
  });

  it('.env.example lists exactly the variables of the schema, with their defaults', () => {
    const text = readFileSync(join(__dirname, '..', '..', '.env.example'), 'utf8');
    const listed = [...text.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=(.*)$/gm)].map((m) => ({ name: m[1], value: m[2] }));
    expect(listed.map((v) => v.name)).toEqual(VARIABLES.map((v) => v.name));
    for (const v of VARIABLES) {
      const entry = listed.find((l) => l.name === v.name)!;
      expect(entry.value.replace(/^'|'$/g, '')).toBe(v.default ?? '');
    }
  });
});

describe('HTTP timeouts and shutdown durations', () => {
  it('default to 10 s headers, 60 s request, 65 s keep-alive, 5 s grace, 30 s drain', () => {
    expect(loadConfig({})).toMatchObject({
      httpHeadersTimeoutSeconds: 10,
      httpRequestTimeoutSeconds: 60,
      httpKeepAliveTimeoutSeconds: 65,
      shutdownGraceSeconds: 5,
      shutdownDrainTimeoutSeconds: 30,
    });
  });

  it('reject non-numbers, zero timeouts and a headers timeout above the request timeout', () => {
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_SECONDS: 'ten' })).toThrow(
      /HTTP_HEADERS_TIMEOUT_SECONDS must be a whole number of seconds/,
    );
    expect(() => loadConfig({ HTTP_REQUEST_TIMEOUT_SECONDS: '0' })).toThrow(/HTTP_REQUEST_TIMEOUT_SECONDS/);
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_SECONDS: '90' })).toThrow(/must not exceed HTTP_REQUEST_TIMEOUT_SECONDS/);
    expect(loadConfig({ SHUTDOWN_GRACE_SECONDS: '0' }).shutdownGraceSeconds).toBe(0);
  });
});

describe('the environment of child processes', () => {
  it("is the service process's PATH and HOME, whatever variables the configuration was read from", () => {
    const config = loadConfig({ PATH: '/elsewhere', HOME: '/nowhere' });
    expect(config.childProcessEnv).toEqual({ PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' });
  });
});

describe('messages: the variable, what is wrong, and the value given', () => {
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (e) {
      return (e as ConfigError).problems;
    }
    return [];
  };

  it('one line per bad variable, in the order of .env.example', () => {
    expect(problems({ SSH_PORT: '70000', PORT: 'abc', LOG_LEVEL: 'loud', LFS_ENABLED: 'Perhaps' })).toEqual([
      'PORT must be a TCP port from 1 to 65535 (got "abc")',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
      'SSH_PORT must be a TCP port from 1 to 65535 (got "70000")',
      'LFS_ENABLED must be true or false (got "perhaps")',
    ]);
  });

  it('never repeats the password of a URL', () => {
    expect(problems({ DATABASE_URL: 'mysql://app:s3cret@db/x' })).toEqual([
      'DATABASE_URL must be a postgres: or postgresql: URL (got "mysql://app:***@db/x")',
    ]);
  });

  it('GITALY_STORAGES says which storage is wrong', () => {
    expect(problems({ GITALY_STORAGES: '{"a":{"address":"x","path":"rel"}}', DEFAULT_REPOSITORY_STORAGE: 'a' })).toEqual([
      'GITALY_STORAGES must be a JSON object of {address, token, path?} (storage a: path must be absolute)',
    ]);
    expect(problems({ GITALY_STORAGES: '{}' })).toEqual(['GITALY_STORAGES must be a JSON object of {address, token, path?} (no storage)']);
    expect(loadConfig({ GITALY_STORAGES: '{"a":{"address":"x","token":5}}', DEFAULT_REPOSITORY_STORAGE: 'a' }).gitalyStorages).toEqual({
      a: { address: 'x', token: '' },
    });
  });

  it('rules across variables run when the variables they read are valid on their own', () => {
    expect(problems({ DEFAULT_REPOSITORY_STORAGE: 'other' })).toEqual([
      'DEFAULT_REPOSITORY_STORAGE "other" is not a key of GITALY_STORAGES',
    ]);
    expect(problems({ DATABASE_READ_REPLICA_URLS: 'postgres://replica/db' })).toEqual(['DATABASE_READ_REPLICA_URLS needs DATABASE_URL']);
    expect(problems({ PORT: 'abc', HTTP_HEADERS_TIMEOUT_SECONDS: '90' })).toEqual([
      'PORT must be a TCP port from 1 to 65535 (got "abc")',
      'HTTP_HEADERS_TIMEOUT_SECONDS must not exceed HTTP_REQUEST_TIMEOUT_SECONDS',
    ]);
    expect(problems({ HTTP_HEADERS_TIMEOUT_SECONDS: '90', HTTP_REQUEST_TIMEOUT_SECONDS: 'never' })).toEqual([
      'HTTP_REQUEST_TIMEOUT_SECONDS must be a whole number of seconds from 1 to 86400 (got "never")',
    ]);
  });

  it('a blank value means the default; values are trimmed', () => {
    expect(loadConfig({ PORT: '  ', SSH_PORT: ' 2222 ', GITLAB_LICENSE_PLAN: 'Premium' })).toMatchObject({
      port: 3000,
      sshPort: 2222,
      gitlabLicensePlan: 'premium',
    });
  });
});
