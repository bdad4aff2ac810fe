import { InProcessJobQueue } from './in-process-job-queue';

describe('in-process job queue', () => {
  it('runs jobs in order and retries failures with backoff', async () => {
    const q = new InProcessJobQueue<number>('t', 1);
    const seen: number[] = [];
    let failures = 0;
    q.process(async (n) => {
      if (n === 2 && failures < 2) {
        failures++;
        throw new Error('flaky');
      }
      seen.push(n);
    });
    await q.add(1);
    await q.add(2);
    await q.add(3);
    await q.whenIdle();
    expect(seen).toEqual([1, 2, 3]);
    expect(failures).toBe(2);
  });

  it('does not add a job whose id is still pending, and refuses jobs after close', async () => {
    const q = new InProcessJobQueue<string>('t', 1);
    const seen: string[] = [];
    await q.add('a', { jobId: 'x' });
    await q.add('b', { jobId: 'x' });
    q.process(async (s) => {
      seen.push(s);
    });
    await q.whenIdle();
    expect(seen).toEqual(['a']);
    await q.close();
    await expect(q.add('c')).rejects.toThrow(/closed/);
  });
});
