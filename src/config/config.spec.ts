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
      expect(() => loadConfig({ DATABASE_REPLICA_MAX_LAG_SECONDS: bad })).toThrow(/DATABASE_REPLICA_MAX_LAG_SECONDS must be a positive number/);
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
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_SECONDS: 'ten' })).toThrow(/HTTP_HEADERS_TIMEOUT_SECONDS must be a whole number of seconds/);
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
