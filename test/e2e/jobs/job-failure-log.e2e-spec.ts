import { randomBytes } from 'node:crypto';
import Bull from 'bull';
import { BullJobQueue } from '../../../src/jobs/bull-job-queue';
import { InProcessJobQueue } from '../../../src/jobs/in-process-job-queue';
import { JobQueue } from '../../../src/jobs/job-queue';
import { createTestApp, LogCapture, TestApp } from '../../helpers/test-app';

/**
 * Every failed attempt of a job is one JSON log line naming the job, the attempt and the error, whichever runner
 * (in process, or Bull on Redis) ran it.
 */
describe('job failures are logged as JSON', () => {
  const logs = new LogCapture();
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ LOG_LEVEL: 'info' }, { logStream: logs });
  });
  afterAll(() => t.close());

  const failureLines = (marker: string) => logs.lines().filter((line) => typeof line.error === 'string' && line.error.includes(marker));

  async function expectFailuresLogged(queue: JobQueue<{ n: number }>, name: string): Promise<void> {
    const marker = `boom-${randomBytes(6).toString('hex')}`;
    let calls = 0;
    queue.process(async () => {
      calls++;
      throw new Error(`${marker} on call ${calls}`);
    });
    await queue.add({ n: 1 }, { name, attempts: 2, backoffMs: 10 });
    const deadline = Date.now() + 10_000;
    while (failureLines(marker).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const lines = failureLines(marker);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ job_name: name, queue: queue.name, attempt: 1, max_attempts: 2, final: false, error: `${marker} on call 1`, level: 40 });
    expect(lines[1]).toMatchObject({ job_name: name, queue: queue.name, attempt: 2, max_attempts: 2, final: true, error: `${marker} on call 2`, level: 50 });
    expect((lines[1].err as { stack?: string }).stack).toContain(marker);
    expect(calls).toBe(2);
  }

  it('the in-process runner logs each failed attempt', async () => {
    const queue = new InProcessJobQueue<{ n: number }>('probe-in-process', 10);
    await expectFailuresLogged(queue, 'probe-job');
    await queue.close();
  });

  const withRedis = process.env.REDIS_URL ? it : it.skip;
  if (!process.env.REDIS_URL) console.log('REDIS_URL unset: the Bull runner case is skipped');
  withRedis('the Bull runner logs each failed attempt', async () => {
    const bull = new Bull<{ n: number }>('probe-bull', process.env.REDIS_URL!, { prefix: `gia_test_jobs_${process.pid}_${randomBytes(4).toString('hex')}` });
    const queue = new BullJobQueue(bull);
    try {
      await expectFailuresLogged(queue, 'probe-job');
    } finally {
      await bull.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
  });
});
