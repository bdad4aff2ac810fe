/**
 * PostgreSQL stopped and restarted under a bounded load: while it is down every request that needs it answers
 * `503 {"message":"503 Service Unavailable"}` with Retry-After (never a 500), the outage is logged once when it
 * starts and once when it ends, and the same process serves 200s again once PostgreSQL is back.
 */
import { kasJwt } from '../helpers/jwt';
import { describeFaults, eventually, internal, load, sleep, Stack, startStack, Timed } from './fault-helpers';

const ERROR_TRACKING_TOKEN = 'fault-suite-error-tracking-token';

describeFaults('PostgreSQL outage (private PostgreSQL, the built service)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { ERROR_TRACKING_TOKEN } });
  });
  afterAll(async () => {
    await stack?.service.stop('SIGKILL');
  });

  it('answers 503 with Retry-After while PostgreSQL is down, logs the outage once, recovers without a restart', async () => {
    const { service, pg } = stack;
    const discover = () => internal(service, 'GET', 'discover?username=root', undefined, 'discover');
    const before = await discover();
    expect({ status: before.status, body: JSON.parse(before.body).username }).toEqual({ status: 200, body: 'root' });

    const phases: Record<'up' | 'down' | 'back', Timed[]> = { up: [], down: [], back: [] };
    let phase: keyof typeof phases = 'up';
    let stop = false;
    const running = load(
      3,
      async () => {
        const p = phase;
        const r = await discover();
        // a request still running when PostgreSQL began to stop belongs to the outage
        phases[p === 'up' && phase !== 'up' ? 'down' : p].push(r);
        await sleep(20);
        return r;
      },
      () => stop,
    );
    try {
      await sleep(1000);
      phase = 'down';
      await pg.stop('fast');
      await sleep(3000);
      const readiness = await fetch(`${service.url}/-/readiness`);
      expect(readiness.status).toBe(503);
      await pg.start();
      phase = 'back';
      // recovery: the pool reconnects by itself
      const recovered = await eventually(discover, (r) => r.status === 200, 15_000);
      expect(recovered.status).toBe(200);
      await sleep(1000);
    } finally {
      // the load loop ends even when an assertion above fails
      stop = true;
    }
    await running;

    const statuses = (list: Timed[]) => [...new Set(list.map((r) => r.status))].sort();
    expect(statuses(phases.up)).toEqual([200]);
    // during the outage: only 503s (a request that had its row before the stop may still answer 200)
    expect(statuses(phases.down).filter((s) => s !== 200)).toEqual([503]);
    const failures = phases.down.filter((r) => r.status === 503);
    expect(failures.length).toBeGreaterThan(10);
    for (const r of failures) {
      expect(JSON.parse(r.body)).toEqual({ message: '503 Service Unavailable' });
      expect(r.headers?.get('retry-after')).toMatch(/^\d+$/);
    }
    expect(phases.back.filter((r) => r.status !== 200 && r.status !== 503)).toEqual([]);
    expect(phases.back.slice(-3).map((r) => r.status)).toEqual([200, 200, 200]);

    const logs = service.logs();
    const lines = logs.split('\n').filter(Boolean);
    const started = lines.filter((l) => l.includes('database unreachable'));
    const ended = lines.filter((l) => l.includes('database reachable again'));
    expect(started).toHaveLength(1);
    expect(ended).toHaveLength(1);
    expect(JSON.parse(ended[0])).toMatchObject({ failed_requests: expect.any(Number), outage_seconds: expect.any(Number) });
    expect(JSON.parse(ended[0]).failed_requests).toBeGreaterThanOrEqual(failures.length);
    expect(logs).not.toContain('unhandled error');
    expect(lines.filter((l) => /"level":50/.test(l))).toHaveLength(1); // the start line is the only error line
  });

  it('answers 503, never 401, on every credential scheme whose token is looked up while PostgreSQL is down', async () => {
    const { service, pg, rootToken, projectId } = stack;
    const call = async (label: string, path: string, init: RequestInit = {}) => {
      const res = await fetch(`${service.url}${path}`, { ...init, signal: AbortSignal.timeout(10_000) });
      return { label, status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as unknown };
    };
    const json = { 'Content-Type': 'application/json' };
    const requests = () =>
      Promise.all([
        call('admin PAT in PRIVATE-TOKEN', '/api/v4/application/settings', { headers: { 'PRIVATE-TOKEN': rootToken } }),
        call('admin PAT as Bearer', `/api/v4/groups/${projectId}`, { headers: { Authorization: `Bearer ${rootToken}` } }),
        call('admin PAT in private_token', `/api/v4/application/settings?private_token=${rootToken}`),
        call('user PAT (billing)', `/api/v4/namespaces/1/gitlab_subscription`, { headers: { 'PRIVATE-TOKEN': rootToken } }),
        call('SCIM instance token', '/api/scim/v2/application/Users', { headers: { Authorization: 'Bearer scim-token-looked-up' } }),
        call('kas agent token', '/api/v4/internal/kubernetes/agent_info', {
          headers: { 'Gitlab-Kas-Api-Request': kasJwt({}, service.kasSecret), Authorization: 'Bearer agent-token-looked-up' },
        }),
        call('error tracking', '/api/v4/internal/error_tracking/allowed', {
          method: 'POST',
          headers: { ...json, 'Gitlab-Error-Tracking-Token': ERROR_TRACKING_TOKEN },
          body: JSON.stringify({ project_id: projectId, public_key: 'abc' }),
        }),
      ]);

    const up = await requests();
    // with PostgreSQL up, the same requests are answered (none is a 5xx)
    expect(up.filter((r) => r.status >= 500)).toEqual([]);

    await pg.stop('fast');
    try {
      const down = await requests();
      const message = { message: '503 Service Unavailable' };
      const scim = { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '503', detail: 'Service Unavailable' };
      expect(down.map(({ label, status, retryAfter, body }) => ({ label, status, retryAfter, body }))).toEqual(
        down.map(({ label }) => ({
          label,
          status: 503,
          retryAfter: expect.stringMatching(/^\d+$/),
          body: label.startsWith('SCIM') ? expect.objectContaining(scim) : message,
        })),
      );
    } finally {
      await pg.start();
    }
    const back = await eventually(requests, (rs) => rs.every((r) => r.status < 500), 15_000);
    expect(back.filter((r) => r.status >= 500)).toEqual([]);
  });
});
