import { Strategy } from 'passport-strategy';

type Verify = (request: unknown, done: (err: unknown, user?: unknown) => void) => void;

/**
 * A passport strategy that hands the whole request to `validate(request)`: the base of the header/parameter
 * token schemes. `validate` returns the principal, returns null (401 through the guard), or throws an ApiError.
 */
export class RequestStrategy extends Strategy {
  constructor(private readonly verify: Verify) {
    super();
  }

  authenticate(request: unknown): void {
    this.verify(request, (err, user) => {
      if (err) return this.error(err as Error);
      if (!user) return this.fail(401);
      return this.success(user);
    });
  }
}
