import { retryOnConflict } from './retry';

const unique = () => Object.assign(new Error('duplicate key'), { code: '23505', constraint: 'index_x' });

describe('retryOnConflict', () => {
  it('retries a unique violation up to the number of attempts, then throws the last failure', async () => {
    let calls = 0;
    const failure = unique();
    await expect(
      retryOnConflict(
        async () => {
          calls++;
          throw failure;
        },
        { attempts: 3 },
      ),
    ).rejects.toBe(failure);
    expect(calls).toBe(3);
  });

  it('answers the first success and passes the attempt number', async () => {
    const seen: number[] = [];
    const result = await retryOnConflict(
      async (attempt) => {
        seen.push(attempt);
        if (attempt < 2) throw unique();
        return 'ok';
      },
      { attempts: 5 },
    );
    expect(result).toBe('ok');
    expect(seen).toEqual([1, 2]);
  });

  it('never retries an error that is not retryable', async () => {
    let calls = 0;
    const other = new Error('other');
    await expect(
      retryOnConflict(
        async () => {
          calls++;
          throw other;
        },
        { attempts: 5 },
      ),
    ).rejects.toBe(other);
    expect(calls).toBe(1);
  });

  it('takes its own notion of retryable', async () => {
    class Again extends Error {}
    let calls = 0;
    await expect(
      retryOnConflict(
        async () => {
          calls++;
          throw new Again();
        },
        { attempts: 6, retryable: (e) => e instanceof Again },
      ),
    ).rejects.toBeInstanceOf(Again);
    expect(calls).toBe(6);
  });
});
