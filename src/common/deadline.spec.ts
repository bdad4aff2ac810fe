import { withTimeout } from './deadline';

describe('withTimeout', () => {
  it('answers what the promise answers in time', async () => {
    await expect(withTimeout(Promise.resolve(7), 1000)).resolves.toBe(7);
    await expect(withTimeout(Promise.reject(new Error('no')), 1000)).rejects.toThrow('no');
  });

  it('rejects with the message at the deadline, and ignores a late rejection', async () => {
    let lateReject!: (err: Error) => void;
    const late = new Promise<never>((_, reject) => (lateReject = reject));
    await expect(withTimeout(late, 20, 'no answer within 20 ms')).rejects.toThrow('no answer within 20 ms');
    lateReject(new Error('too late'));
    await expect(withTimeout(new Promise(() => undefined), 10)).rejects.toThrow('timed out after 10 ms');
  });
});
