import { ApiError } from '../../src/common/api-error';

/** The `error` text of the 400 that `fn` throws (Grape's `{"error":"a is missing, b is invalid"}`). */
export function paramErrorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(400);
    return ((err as ApiError).body as { error: string }).error;
  }
  throw new Error('no parameter error');
}
