import { PushEvent } from '../../../src/git-access/entities/push-event.entity';
import { PostReceiveJob, PostReceiveService } from '../../../src/git-access/post-receive.service';
import { JobQueue, queueToken } from '../../../src/jobs/job-queue';
import { LogCapture } from '../../helpers/test-app';
import { A, B, buildFixtures, Fixtures, hookBody, J, post, Z } from './fixtures';

const MESSAGE = (param: string) => ({ message: `400 Bad request - ${param} contains a NUL character or invalid UTF-8` });

/**
 * Push input PostgreSQL cannot store (a NUL character, invalid UTF-8 arriving as a lone surrogate escape) is
 * refused by /allowed, /pre_receive and /post_receive with a 400, as GitLab refuses any request carrying a
 * malformed string; it is never answered 200 and then lost in the background job. The job itself records each
 * line on its own: one line it cannot store does not lose the others.
 */
describe('changes PostgreSQL cannot store', () => {
  const logs = new LogCapture();
  let f: Fixtures;
  let queue: JobQueue<PostReceiveJob>;
  beforeAll(async () => {
    f = await buildFixtures({ LOG_LEVEL: 'info' }, { logStream: logs });
    queue = f.t.get<JobQueue<PostReceiveJob>>(queueToken('post-receive'));
  });
  afterAll(() => f.close());

  /** Runs the post-receive job's work as the job runner does: its writes in one transaction. */
  const runJob = async (job: PostReceiveJob) => {
    const write = await f.t.get<PostReceiveService>(PostReceiveService).processJob(job);
    if (write) await f.t.dataSource.transaction((m) => write(m));
  };
  const events = (projectId: number | string) => f.t.dataSource.getRepository(PushEvent).find({ where: { project_id: Number(projectId) }, order: { id: 'ASC' } });
  const raw = (path: string, json: string) => f.t.http().post(`/api/v4/internal${path}`).set(J()).set('Content-Type', 'application/json').send(json);

  it('/allowed answers 400 to a changes line with a NUL character', async () => {
    const res = await post(f.t, '/allowed', hookBody(f.priv, f.users.alice, `${A} ${B} refs/heads/a\u0000b\n`));
    expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: MESSAGE('changes') });
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('/allowed answers 400 to invalid UTF-8 (a lone surrogate escape)', async () => {
    const body = JSON.stringify(hookBody(f.priv, f.users.alice, 'CHANGES')).replace('CHANGES', `${A} ${B} refs/heads/x\\ud800y\\n`);
    const res = await raw('/allowed', body);
    expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: MESSAGE('changes') });
  });

  it('/pre_receive answers 400 and counts nothing', async () => {
    const res = await post(f.t, '/pre_receive', { gl_repository: `project-${f.priv.id}\u0000` });
    expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: MESSAGE('gl_repository') });
  });

  it('/post_receive answers 400, enqueues nothing, and a clean push is recorded as before', async () => {
    const before = (await events(f.pub.id)).length;
    const bad = await post(f.t, '/post_receive', {
      gl_repository: `project-${f.pub.id}`,
      identifier: `user-${f.users.alice.id}`,
      changes: `${Z} ${A} refs/heads/good-1\n${A} ${B} refs/heads/bad\u0000ref\n`,
      push_options: null,
    });
    expect({ status: bad.status, body: bad.body }).toEqual({ status: 400, body: MESSAGE('changes') });
    const badOption = await post(f.t, '/post_receive', {
      gl_repository: `project-${f.pub.id}`,
      identifier: `user-${f.users.alice.id}`,
      changes: `${Z} ${A} refs/heads/good-1\n`,
      push_options: ['ci.variable=a\u0000b'],
    });
    expect({ status: badOption.status, body: badOption.body }).toEqual({ status: 400, body: MESSAGE('push_options') });
    await queue.whenIdle();
    expect((await events(f.pub.id)).length).toBe(before);
    const good = await post(f.t, '/post_receive', { gl_repository: `project-${f.pub.id}`, identifier: `user-${f.users.alice.id}`, changes: `${Z} ${A} refs/heads/good-1\n`, push_options: null });
    expect(good.status).toBe(200);
    await queue.whenIdle();
    expect((await events(f.pub.id)).map((e) => e.ref)).toEqual([...(await events(f.pub.id)).slice(0, before).map((e) => e.ref), 'refs/heads/good-1']);
  });

  it('the job records every storable line of a push and logs the line it skipped', async () => {
    // a job carrying input the route now refuses (an older instance's job): the job's own per-line guard
    await runJob({
      gl_repository: `project-${f.int.id}`,
      identifier: `user-${f.users.alice.id}`,
      changes: `${Z} ${A} refs/heads/first\n${A} ${B} refs/heads/nul\u0000ref\n${A} ${B} refs/heads/lone\uD800\n${Z} ${B} refs/tags/last\n`,
      push_options: {},
      received_at: new Date().toISOString(),
    });
    await queue.whenIdle();
    const rows = await events(f.int.id);
    expect(rows.map((r) => [r.ref, r.action])).toEqual([
      ['refs/heads/first', 'created'],
      ['refs/tags/last', 'created'],
    ]);
    const skipped = logs.lines().filter((line) => line.msg === 'post-receive: change line not recorded');
    expect(skipped).toHaveLength(2);
    expect(skipped[0]).toMatchObject({ gl_repository: `project-${f.int.id}`, line: 2 });
    expect(skipped[1]).toMatchObject({ gl_repository: `project-${f.int.id}`, line: 3 });
  });

  it('a line the database itself refuses is skipped and logged; the other lines are recorded', async () => {
    // stands in for any refusal the checks before the insert do not foresee: PostgreSQL's own encoding error
    await f.t.dataSource.query(`CREATE FUNCTION refuse_marked_ref() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.ref LIKE '%refused-by-db%' THEN
          RAISE EXCEPTION 'invalid byte sequence for encoding "UTF8": 0x00' USING ERRCODE = '22021';
        END IF;
        RETURN NEW;
      END $$`);
    await f.t.dataSource.query(`CREATE TRIGGER refuse_marked_ref BEFORE INSERT ON push_events FOR EACH ROW EXECUTE FUNCTION refuse_marked_ref()`);
    try {
      await runJob({
        gl_repository: `project-${f.apriv.id}`,
        identifier: `user-${f.users.alice.id}`,
        changes: `${Z} ${A} refs/heads/one\n${Z} ${A} refs/heads/refused-by-db\n${Z} ${B} refs/heads/three\n`,
        push_options: {},
        received_at: new Date().toISOString(),
      });
      await queue.whenIdle();
    } finally {
      await f.t.dataSource.query(`DROP TRIGGER refuse_marked_ref ON push_events`);
      await f.t.dataSource.query(`DROP FUNCTION refuse_marked_ref()`);
    }
    expect((await events(f.apriv.id)).map((r) => r.ref)).toEqual(['refs/heads/one', 'refs/heads/three']);
    const skipped = logs.lines().filter((line) => line.msg === 'post-receive: change line not recorded' && line.gl_repository === `project-${f.apriv.id}`);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatchObject({ line: 2, reason: expect.stringContaining('invalid byte sequence') });
    // no job failed: nothing was retried
    expect(logs.lines().filter((line) => line.job_name === 'post-receive')).toEqual([]);
  });

  it('a push of 20 000 lines is recorded in full', async () => {
    const changes = Array.from({ length: 20_000 }, (_, i) => `${Z} ${A} refs/heads/bulk-${i}\n`).join('');
    await runJob({ gl_repository: `project-${f.pub.id}`, identifier: `user-${f.users.bob.id}`, changes, push_options: {}, received_at: new Date().toISOString() });
    await queue.whenIdle(60_000);
    const rows: { n: string }[] = await f.t.dataSource.query(`SELECT count(*) AS n FROM push_events WHERE project_id = $1 AND ref LIKE 'refs/heads/bulk-%'`, [f.pub.id]);
    expect(Number(rows[0].n)).toBe(20_000);
  });
});

