/**
 * Scale-out, proven on real servers: a private primary PostgreSQL, a streaming replica of it (pg_basebackup -R),
 * a private Redis and two instances of the built service sharing them.
 *
 * Where a read was served is counted with pg_stat_statements on each server (a standby records the statements it
 * runs itself); a row that exists only on the primary (replay paused) proves a primary answer.
 */
import Redis from 'ioredis';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newSshPublicKey } from '../helpers/factories';
import { kasJwt, shellJwt } from '../helpers/jwt';
import { PgServer, RedisServer, ServiceProcess, sleep, skipNotice, startPostgres, startRedis, startService } from '../support/servers';

const notice = skipNotice('scale suite');
if (notice) console.warn(notice);
const maybe = notice ? describe.skip : describe;

const MAX_LAG_SECONDS = 2;
const ROOT_TOKEN = 'glpat-scale-root-token-000000001';
const SHELL_SECRET = 'scale-suite-shell-secret-0123456789abcdef';
const KAS_SECRET = Buffer.alloc(32, 9);
const PG_SETTINGS = { shared_preload_libraries: "'pg_stat_statements'", 'pg_stat_statements.track': 'top' };

/**
 * Calls of the hot paths' read statements on one server, per pg_stat_statements: the key lookup, the actor by
 * username, the project-with-settings lookup, access levels, the agent-token lookup and the project lookup.
 */
async function hotReads(server: PgServer): Promise<number> {
  const out = await server.psql(
    `SELECT coalesce(sum(s.calls), 0) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
     WHERE d.datname = 'gia' AND s.query ~* '^\\s*(select|with)' AND s.query ~* '(fingerprint_sha256|username|application_settings|access_level|cluster_agent_tokens|pending_delete)'`,
    'gia',
  );
  return Number(out);
}

/** Calls of INSERTs into keys on one server. */
async function keyInserts(server: PgServer): Promise<number> {
  return Number(
    await server.psql(
      `SELECT coalesce(sum(s.calls), 0) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
       WHERE d.datname = 'gia' AND s.query ~* '^\\s*insert\\s+into\\s+"?keys"?'`,
      'gia',
    ),
  );
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

interface ReplicaDetail {
  name: string;
  up: boolean;
  in_rotation: boolean;
  lag_seconds: number | null;
  reason?: string;
}

maybe('scale-out: one primary, a streaming replica, one Redis, two instances', () => {
  let primary: PgServer;
  let replica: PgServer;
  let redis: RedisServer;
  let a: ServiceProcess;
  let b: ServiceProcess;
  let redisClient: Redis;
  let dir: string;
  let alice: { id: number; username: string };
  let aliceKey: string;
  let project: { id: number; path_with_namespace: string };
  let agentToken: string;

  const shell = () => ({ 'Gitlab-Shell-Api-Request': shellJwt({}, SHELL_SECRET) });
  const admin = async (svc: ServiceProcess, method: string, path: string, body?: object) => {
    const res = await fetch(`${svc.url}/api/v4${path}`, {
      method,
      headers: { 'PRIVATE-TOKEN': ROOT_TOKEN, 'Content-Type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  const internal = async (svc: ServiceProcess, method: 'GET' | 'POST', path: string, params: Record<string, string | number> = {}) => {
    const query = method === 'GET' ? `?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}` : '';
    const res = await fetch(`${svc.url}/api/v4/internal${path}${query}`, {
      method,
      headers: { ...shell(), ...(method === 'POST' ? { 'Content-Type': 'application/json' } : {}) },
      body: method === 'POST' ? JSON.stringify(params) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
  };
  const kas = async (svc: ServiceProcess, path: string) => {
    const res = await fetch(`${svc.url}/api/v4/internal/kubernetes${path}`, {
      headers: { 'Gitlab-Kas-Api-Request': kasJwt({}, KAS_SECRET), Authorization: `Bearer ${agentToken}` },
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
  };
  const blobOf = (keyLine: string) => keyLine.split(' ')[1];
  const replicaOf = async (svc: ServiceProcess): Promise<{ ready: number; detail: ReplicaDetail }> => {
    const res = await fetch(`${svc.url}/-/readiness`);
    const body = (await res.json()) as { details: { database_replicas?: { replicas: ReplicaDetail[] } } };
    return { ready: res.status, detail: body.details.database_replicas!.replicas[0] };
  };
  const rotation = (inRotation: boolean, timeoutMs = 15_000) =>
    until(`the replica ${inRotation ? 'in' : 'out of'} rotation on both instances`, timeoutMs, async () => {
      const [ra, rb] = await Promise.all([replicaOf(a), replicaOf(b)]);
      return ra.detail.in_rotation === inRotation && rb.detail.in_rotation === inRotation ? [ra, rb] : undefined;
    });
  /** One of each hot-path read, alternating instances; every answer must be a success. */
  const hotPathRound = async (i: number) => {
    const svc = i % 2 ? b : a;
    const results = await Promise.all([
      internal(svc, 'GET', '/authorized_keys', { key: blobOf(aliceKey) }),
      internal(svc, 'GET', '/discover', { username: alice.username }),
      internal(svc, 'POST', '/allowed', {
        action: 'git-upload-pack',
        project: `${project.path_with_namespace}.git`,
        user_id: alice.id,
        protocol: 'ssh',
        changes: '_any',
      }),
      internal(svc, 'POST', '/lfs_authenticate', {
        project: `${project.path_with_namespace}.git`,
        user_id: alice.id,
        operation: 'download',
      }),
      kas(svc, '/agent_info'),
      kas(svc, `/project_info?id=${project.id}`),
    ]);
    if (results.some((r) => r.status !== 200)) {
      // what the service said about the failures, for the report
      const errors = svc.logs().split('\n').filter((line) => /"level":(40|50)/.test(line)).slice(-8);
      console.log(`failed hot-path round ${i}:`, results.map((r) => `${r.status} ${JSON.stringify(r.body)}`), errors);
    }
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(results[2].body).toMatchObject({ status: true, gl_project_id: project.id });
    expect(results[4].body).toMatchObject({ project_id: project.id, agent_name: 'scale-agent' });
    return results;
  };

  beforeAll(async () => {
    primary = await startPostgres({ settings: PG_SETTINGS });
    await primary.psql('CREATE DATABASE gia');
    await primary.psql('CREATE EXTENSION pg_stat_statements', 'gia');
    [replica, redis] = await Promise.all([startPostgres({ replicaOf: primary, settings: PG_SETTINGS }), startRedis()]);
    dir = mkdtempSync(join(tmpdir(), 'gia-scale-'));
    writeFileSync(join(dir, 'shell_secret'), `${SHELL_SECRET}\n`);
    writeFileSync(join(dir, 'kas_secret'), `${KAS_SECRET.toString('base64')}\n`);
    const env = {
      DATABASE_URL: primary.url('gia'),
      DATABASE_READ_REPLICA_URLS: replica.url('gia'),
      DATABASE_REPLICA_MAX_LAG_SECONDS: String(MAX_LAG_SECONDS),
      REDIS_URL: redis.url,
      REDIS_PREFIX: 'gia_scale',
      GITLAB_SHELL_SECRET_FILE: join(dir, 'shell_secret'),
      GITLAB_KAS_SECRET_FILE: join(dir, 'kas_secret'),
      DB_KEY_BASE: 'scale-suite-db-key-base-0123456789abcdef',
      LOG_LEVEL: 'warn',
    };
    // both start at once: migrations run under an advisory lock
    [a, b] = await Promise.all([startService({ ...env, ROOT_ACCESS_TOKEN: ROOT_TOKEN }), startService(env)]);
    redisClient = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redisClient.connect();

    alice = await admin(a, 'POST', '/users', { username: 'alice', name: 'Alice', email: 'alice@example.com' });
    aliceKey = newSshPublicKey('alice@laptop');
    await admin(a, 'POST', `/users/${alice.id}/keys`, { title: 'laptop', key: aliceKey });
    const group = await admin(a, 'POST', '/groups', { name: 'Group', path: 'grp' });
    project = await admin(a, 'POST', '/projects', { path: 'app', namespace_id: group.id, default_branch: 'main' });
    await admin(a, 'POST', `/groups/${group.id}/members`, { user_id: alice.id, access_level: 30 });
    const agent = await admin(a, 'POST', `/projects/${project.id}/cluster_agents`, { name: 'scale-agent' });
    agentToken = (await admin(a, 'POST', `/projects/${project.id}/cluster_agents/${agent.id}/tokens`, { name: 'scale' })).token;
    await rotation(true);
  }, 240_000);

  afterAll(async () => {
    await redisClient?.quit().catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
    // the servers are stopped by test/support/servers.ts
  });

  it('serves the hot-path reads from the replica and writes on the primary', async () => {
    // the provisioning above is on the replica once it has caught up
    await until(
      'the replica to hold the project',
      10_000,
      async () => (await replica.psql(`SELECT count(*) FROM projects WHERE id = ${project.id}`, 'gia')) === '1',
    );
    const [replicaBefore, primaryBefore] = await Promise.all([hotReads(replica), hotReads(primary)]);
    for (let i = 0; i < 10; i++) await hotPathRound(i);
    const [replicaAfter, primaryAfter] = await Promise.all([hotReads(replica), hotReads(primary)]);
    // 10 rounds of six routes, at least one counted statement each (two for /allowed)
    expect(replicaAfter - replicaBefore).toBeGreaterThanOrEqual(70);
    expect(primaryAfter - primaryBefore).toBe(0);

    const [insertsPrimary, insertsReplica] = [await keyInserts(primary), await keyInserts(replica)];
    await admin(b, 'POST', `/users/${alice.id}/keys`, { title: 'desktop', key: newSshPublicKey('alice@desktop') });
    expect((await keyInserts(primary)) - insertsPrimary).toBe(1);
    expect(await keyInserts(replica)).toBe(insertsReplica);

    const metrics = await (await fetch(`${a.url}/-/metrics`)).text();
    expect(metrics).toMatch(/gitlab_database_replica_up\{replica="127\.0\.0\.1:\d+\/gia"\} 1/);
    expect(metrics).toMatch(/gitlab_database_replica_in_rotation\{replica="127\.0\.0\.1:\d+\/gia"\} 1/);
    expect(metrics).toMatch(/gitlab_database_replica_lag_seconds\{replica="127\.0\.0\.1:\d+\/gia"\} /);
    expect(metrics).toMatch(/gitlab_database_reads_total\{server="replica"\} [1-9]/);
  });

  it('a key added through instance A is accepted by /authorized_keys on instance B within the lag bound', async () => {
    const line = newSshPublicKey('alice@tablet');
    const created = await admin(a, 'POST', `/users/${alice.id}/keys`, { title: 'tablet', key: line });
    const started = Date.now();
    // the bound plus one probe interval: a replica is taken out of rotation at the first probe beyond the bound
    const found = await until('the key on instance B', (MAX_LAG_SECONDS + 1) * 1000, async () => {
      const res = await internal(b, 'GET', '/authorized_keys', { key: blobOf(line) });
      return res.status === 200 ? res : undefined;
    });
    expect(found.body).toMatchObject({ id: created.id, title: 'tablet' });
    expect(Date.now() - started).toBeLessThanOrEqual((MAX_LAG_SECONDS + 1) * 1000);
  });

  it('replay paused beyond the lag bound: the replica leaves rotation, every request succeeds from the primary, and it returns once replay resumes', async () => {
    await replica.psql('SELECT pg_wal_replay_pause()');
    try {
      // a key that only the primary has from now on
      const line = newSshPublicKey('alice@phone');
      await admin(a, 'POST', `/users/${alice.id}/keys`, { title: 'phone', key: line });
      const [ra, rb] = await rotation(false, 15_000);
      for (const r of [ra, rb]) {
        expect(r.ready).toBe(200);
        expect(r.detail.up).toBe(true);
        expect(r.detail.lag_seconds).toBeGreaterThan(MAX_LAG_SECONDS);
        expect(r.detail.reason).toMatch(/lag/);
      }
      expect(await replica.psql(`SELECT count(*) FROM keys WHERE title = 'phone'`, 'gia')).toBe('0');
      const replicaBefore = await hotReads(replica);
      for (const svc of [a, b]) {
        expect((await internal(svc, 'GET', '/authorized_keys', { key: blobOf(line) })).status).toBe(200);
      }
      for (let i = 0; i < 4; i++) await hotPathRound(i);
      expect(await hotReads(replica)).toBe(replicaBefore);
      const metrics = await (await fetch(`${b.url}/-/metrics`)).text();
      expect(metrics).toMatch(/gitlab_database_replica_in_rotation\{replica="[^"]+"\} 0/);
    } finally {
      await replica.psql('SELECT pg_wal_replay_resume()');
    }
    await rotation(true, 15_000);
    const replicaBefore = await hotReads(replica);
    for (let i = 0; i < 2; i++) await hotPathRound(i);
    expect((await hotReads(replica)) - replicaBefore).toBeGreaterThanOrEqual(14);
  });

  it('replica stopped: every request succeeds from the primary, readiness stays 200, and the replica returns after it restarts', async () => {
    // requests keep flowing while the replica shuts down: the reads it cuts off, and those reaching it before a
    // probe noticed, are retried on the primary
    let loading = true;
    const load = (async () => {
      let rounds = 0;
      while (loading) await hotPathRound(rounds++);
      return rounds;
    })();
    await sleep(200);
    try {
      await replica.stop('fast');
      for (let i = 0; i < 6; i++) await hotPathRound(i);
      const [ra, rb] = await rotation(false, 5_000);
      loading = false;
      expect(await load).toBeGreaterThan(0);
      for (const r of [ra, rb]) {
        expect(r.ready).toBe(200);
        expect(r.detail).toMatchObject({ up: false, in_rotation: false, lag_seconds: null });
      }
      const metrics = await (await fetch(`${a.url}/-/metrics`)).text();
      expect(metrics).toMatch(/gitlab_database_replica_up\{replica="[^"]+"\} 0/);
    } finally {
      loading = false;
      await load.catch(() => undefined);
      await replica.start();
    }
    await rotation(true, 20_000);
    const before = await hotReads(replica);
    for (let i = 0; i < 2; i++) await hotPathRound(i);
    expect((await hotReads(replica)) - before).toBeGreaterThanOrEqual(14);
  });

  it('pre_receive on A and post_receive on B move the same reference counter', async () => {
    const glRepository = `project-${project.id}`;
    const key = `gia_scale:git-receive-pack-reference-counter:${glRepository}`;
    expect((await internal(a, 'POST', '/pre_receive', { gl_repository: glRepository })).body).toEqual({
      reference_counter_increased: true,
    });
    expect((await internal(b, 'POST', '/pre_receive', { gl_repository: glRepository })).body).toEqual({
      reference_counter_increased: true,
    });
    expect(await redisClient.get(key)).toBe('2');
    const post = await internal(b, 'POST', '/post_receive', { gl_repository: glRepository, identifier: `user-${alice.id}`, changes: '' });
    expect(post.body).toMatchObject({ reference_counter_decreased: true });
    expect(await redisClient.get(key)).toBe('1');
    await internal(a, 'POST', '/post_receive', { gl_repository: glRepository, identifier: `user-${alice.id}`, changes: '' });
    expect(await redisClient.get(key)).toBe('0');
  });

  it('200 post-receives spread over both instances are each processed exactly once', async () => {
    const glRepository = `project-${project.id}`;
    const before = Number(await primary.psql(`SELECT count(*) FROM push_events WHERE project_id = ${project.id}`, 'gia'));
    const sha = (i: number) => i.toString(16).padStart(40, '0');
    const zero = '0'.repeat(40);
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        internal(i % 2 ? b : a, 'POST', '/post_receive', {
          gl_repository: glRepository,
          identifier: `user-${alice.id}`,
          changes: `${zero} ${sha(i + 1)} refs/heads/scale-${i}\n`,
        }),
      ),
    );
    expect(answers.every((r) => r.status === 200)).toBe(true);
    const count = () =>
      primary.psql(
        `SELECT count(*), count(DISTINCT ref) FROM push_events WHERE project_id = ${project.id} AND ref LIKE 'refs/heads/scale-%'`,
        'gia',
      );
    await until('200 push events', 60_000, async () => (await count()) === '200|200');
    // nothing runs twice later (a retried or re-delivered job would add a row)
    await sleep(3000);
    expect(await count()).toBe('200|200');
    expect(Number(await primary.psql(`SELECT count(*) FROM push_events WHERE project_id = ${project.id}`, 'gia')) - before).toBe(200);
  });

  it('the per-actor operation limit is enforced across both instances', async () => {
    await admin(a, 'PUT', '/application/settings', { gitlab_shell_operation_limit: 5 });
    try {
      // the limit is read with the project (from the replica): wait until both instances see it
      await until(
        'the new limit on the replica',
        10_000,
        async () => (await replica.psql(`SELECT gitlab_shell_operation_limit FROM application_settings`, 'gia')) === '5',
      );
      // the window is the current minute: do not straddle a minute boundary
      if (Date.now() % 60_000 > 50_000) await sleep(60_000 - (Date.now() % 60_000) + 200);
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        const res = await internal(i % 2 ? b : a, 'POST', '/allowed', {
          action: 'git-upload-pack',
          // the limit's scope names the project as sent: this spelling was not used by the tests above
          project: `/${project.path_with_namespace}.git`,
          user_id: alice.id,
          protocol: 'ssh',
          changes: '_any',
        });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    } finally {
      await admin(a, 'PUT', '/application/settings', { gitlab_shell_operation_limit: 600 });
    }
  });

  it('2FA failed attempts count across both instances: the tenth failure locks the account on both', async () => {
    const bob = await admin(a, 'POST', '/users', { username: 'bob', name: 'Bob', email: 'bob@example.com' });
    const key = await admin(a, 'POST', `/users/${bob.id}/keys`, { title: 'laptop', key: newSshPublicKey('bob@laptop') });
    await admin(b, 'POST', `/users/${bob.id}/two_factor`, {});
    // read after the key write: wait until the replica has it (the actor lookup may be served there)
    await until(
      'the key on the replica',
      10_000,
      async () => (await replica.psql(`SELECT count(*) FROM keys WHERE id = ${key.id}`, 'gia')) === '1',
    );
    const answers: unknown[] = [];
    for (let i = 0; i < 10; i++) {
      answers.push(
        (await internal(i % 2 ? b : a, 'POST', '/two_factor_manual_otp_check', { key_id: key.id, otp_attempt: 'not-a-code' })).body,
      );
    }
    expect(answers).toEqual(Array.from({ length: 10 }, () => ({ success: false, message: 'Invalid OTP' })));
    for (const svc of [a, b]) {
      expect((await internal(svc, 'POST', '/two_factor_manual_otp_check', { key_id: key.id, otp_attempt: 'not-a-code' })).body).toEqual({
        success: false,
        message: 'Your account is locked',
      });
    }
  });
});
