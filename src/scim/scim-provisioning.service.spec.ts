import { ApiError, conflict } from '../common/api-error';
import { SCIM_IDENTITY_INDEX } from './entities/scim-identity.entity';
import { CreateInput } from './scim-create-body';
import { lostRaceOr, RETRY_LOST_RACES, RetryTransaction } from './scim-lost-race';
import { createRefusal } from './scim-provisioning.service';

const input: CreateInput = {
  externUid: 'ext-1',
  userName: 'jane',
  email: 'j@x.io',
  displayName: 'Jane',
  givenName: null,
  familyName: null,
};
const violation = (constraint: string) => Object.assign(new Error('duplicate key'), { code: '23505', constraint });
const detail = (err: unknown) =>
  err instanceof ApiError
    ? [err.status, (err.body as { scimType?: string; detail?: string }).scimType, (err.body as { detail?: string }).detail]
    : err;

describe('createRefusal: the answer to a create that failed', () => {
  it('a unique violation of scim_identities is the 409 of the attribute its index guards, in either scope', () => {
    for (const index of [SCIM_IDENTITY_INDEX.groupExternUid, SCIM_IDENTITY_INDEX.instanceExternUid])
      expect(detail(createRefusal(violation(index), input))).toEqual([409, 'uniqueness', 'externalId "ext-1" has already been taken']);
    for (const index of [SCIM_IDENTITY_INDEX.groupUserName, SCIM_IDENTITY_INDEX.instanceUserName])
      expect(detail(createRefusal(violation(index), input))).toEqual([409, 'uniqueness', 'userName "jane" has already been taken']);
    for (const index of [SCIM_IDENTITY_INDEX.groupUser, SCIM_IDENTITY_INDEX.instanceUser])
      expect(detail(createRefusal(violation(index), input))).toEqual([409, 'uniqueness', 'User has already been taken']);
  });

  it('a race lost on every attempt is "User has already been taken"', () => {
    expect(detail(createRefusal(new RetryTransaction(), input))).toEqual([409, 'uniqueness', 'User has already been taken']);
  });

  it('an API error stays as it is; anything else (another index, a bug) is not disguised as a 409', () => {
    const apiError = conflict('kept');
    expect(createRefusal(apiError, input)).toBe(apiError);
    const other = violation('index_users_on_email');
    expect(createRefusal(other, input)).toBe(other);
    const bug = new TypeError('x');
    expect(createRefusal(bug, input)).toBe(bug);
  });
});

describe('lost races', () => {
  it('a 409 of the core (a concurrent request took the name, path, email or membership) starts the transaction again', () => {
    expect(lostRaceOr(conflict('Username has already been taken'))).toBeInstanceOf(RetryTransaction);
    const notFound = new ApiError(404, { message: '404 Not Found' });
    expect(lostRaceOr(notFound)).toBe(notFound);
    const dbError = violation('x');
    expect(lostRaceOr(dbError)).toBe(dbError);
  });

  it('only a lost race is retried, six times in all', () => {
    expect(RETRY_LOST_RACES.attempts).toBe(6);
    expect(RETRY_LOST_RACES.retryable(new RetryTransaction())).toBe(true);
    expect(RETRY_LOST_RACES.retryable(violation('x'))).toBe(false);
  });
});
