import { ApiError } from '../../common/api-error';

/** A failed step of the access decision: the answer plus the step's code (for metrics and logs). */
export class AccessDenied extends ApiError {
  constructor(
    readonly reason: string,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) {
    super(status, body, headers);
  }
}

/** `{"status":false,"message":...}` with the given status (401 unless said). */
export const deny = (reason: string, message: string, status = 401): AccessDenied =>
  new AccessDenied(reason, status, { status: false, message });
