/**
 * Redis outages (issue: stalled requests and lost pushes). Under a bounded load of pre_receive + post_receive:
 * Redis killed and restarted empty, then Redis frozen (SIGSTOP) and thawed. No request waits 2 s or more, every
 * post_receive answers 200, and each one is recorded in push_events exactly once once Redis is back.
 */
import { B, describeFaults, eventually, internal, load, sleep, Stack, startStack, Timed, Z } from './fault-helpers';

const BOUND_MS = 2000;

describeFaults('Redis outage (private Redis and PostgreSQL, the built service)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ withRedis: true });
  });
  afterAll(async () => {
    await stack?.service.stop('SIGKILL');
  });

  async function pushesDuring(tag: string, fault: () => Promise<void> | void, recover: () => Promise<void> | void) {
    const { service, projectId, userId } = stack;
    const glRepository = `project-${projectId}`;
    let stop = false;
    const running = load(
      4,
      async (n) => {
        const ref = `refs/heads/${tag}-${n}`;
        const pre = await internal(service, 'POST', 'pre_receive', { gl_repository: glRepository }, 'pre_receive');
        const post = await internal(
          service,
          'POST',
          'post_receive',
          { gl_repository: glRepository, identifier: `user-${userId}`, changes: `${Z} ${B} ${ref}\n`, push_options: null },
          'post_receive',
        );
        return { ref, pre, post };
      },
      () => stop,
    );
    try {
      await sleep(1000);
      await fault();
      await sleep(4000);
      await recover();
      await sleep(2000);
    } finally {
      // the load loop ends even when a fault step fails
      stop = true;
    }
    return running;
  }

  async function expectEachRecordedOnce(tag: string, accepted: string[]) {
    const read = async () =>
      (await stack.pg.psql(`SELECT ref || ' ' || count(*) FROM push_events WHERE ref LIKE 'refs/heads/${tag}-%' GROUP BY ref ORDER BY ref`, 'gia'))
        .split('\n')
        .filter(Boolean);
    const rows = await eventually(read, (r) => r.length >= accepted.length, 40_000);
    expect(rows.sort()).toEqual(accepted.map((ref) => `${ref} 1`).sort());
    expect(await eventually(() => stack.pg.psql(`SELECT count(*) FROM job_outbox`, 'gia'), (n) => n === '0', 10_000)).toBe('0');
  }

  function report(results: { pre: Timed; post: Timed }[]) {
    const all = results.flatMap((r) => [r.pre, r.post]);
    const slow = all.filter((r) => r.status === 0 || r.ms >= BOUND_MS).map((r) => `${r.label} ${r.status} ${r.ms} ms ${r.error ?? ''}`);
    const worst = Math.max(...all.map((r) => r.ms));
    return { slow, worst, requests: all.length };
  }

  it('Redis killed and restarted without its data: no request waits 2 s, every 200 post_receive recorded exactly once', async () => {
    const results = await pushesDuring(
      'killed',
      () => stack.redis!.stop(),
      () => stack.redis!.start(),
    );
    const { slow, worst, requests } = report(results);
    // eslint-disable-next-line no-console
    console.log(`Redis killed: ${requests} requests, slowest ${worst} ms`);
    expect(slow).toEqual([]);
    expect(results.length).toBeGreaterThan(20);
    expect(results.filter((r) => r.post.status !== 200).map((r) => `${r.post.status} ${r.post.body}`)).toEqual([]);
    await expectEachRecordedOnce('killed', results.map((r) => r.ref));
  });

  it('Redis frozen (SIGSTOP) and thawed: no request waits 2 s, every 200 post_receive recorded exactly once', async () => {
    const results = await pushesDuring(
      'frozen',
      () => stack.redis!.freeze(),
      () => stack.redis!.thaw(),
    );
    const { slow, worst, requests } = report(results);
    // eslint-disable-next-line no-console
    console.log(`Redis frozen: ${requests} requests, slowest ${worst} ms`);
    expect(slow).toEqual([]);
    expect(results.length).toBeGreaterThan(20);
    expect(results.filter((r) => r.post.status !== 200).map((r) => `${r.post.status} ${r.post.body}`)).toEqual([]);
    await expectEachRecordedOnce('frozen', results.map((r) => r.ref));
  });
});
