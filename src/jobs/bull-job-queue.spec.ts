import Bull from 'bull';
import { BullJobQueue } from './bull-job-queue';

const redisUrl = process.env.REDIS_URL;
if (!redisUrl) console.warn('[bull job queue] skipped: REDIS_URL is not set');
const maybe = redisUrl ? describe : describe.skip;

maybe('Bull job queue shared by two instances', () => {
  const prefix = `gia_spec_bull_${process.pid}_${Date.now()}`;
  const queues: BullJobQueue<{ n: number }>[] = [];
  const runs: number[] = [];
  /** Two consumers of one queue, as two service instances are. */
  beforeAll(() => {
    for (let i = 0; i < 2; i++) {
      const queue = new BullJobQueue<{ n: number }>(new Bull('shared', redisUrl!, { prefix }));
      queue.process(async (job) => void runs.push(job.n));
      queues.push(queue);
    }
  });
  afterAll(async () => {
    const bull = new Bull('shared', redisUrl!, { prefix });
    await bull.obliterate({ force: true }).catch(() => undefined);
    await bull.close();
    for (const q of queues) await q.close();
  });

  it('runs a job with an id once, even when the other instance adds the same id after it completed', async () => {
    const [a, b] = queues;
    await a.add({ n: 1 }, { jobId: 'refresh-seats:42' });
    await a.whenIdle();
    await b.add({ n: 2 }, { jobId: 'refresh-seats:42' });
    await b.whenIdle();
    await a.add({ n: 3 }, { jobId: 'refresh-seats:43' });
    await a.whenIdle();
    expect(runs.sort()).toEqual([1, 3]);
  });

  it('runs every job without an id, each once, whichever instance takes it', async () => {
    runs.length = 0;
    for (let n = 0; n < 20; n++) await queues[n % 2].add({ n });
    await queues[0].whenIdle();
    await queues[1].whenIdle();
    expect(runs.sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, n) => n));
  });
});
