import { ApiError } from '../../common/api-error';
import { USER_STATES, UserState } from '../../identity/entities/user.entity';
import { nextState, StateAction } from './user-state';

function refusal(state: UserState, action: StateAction): unknown {
  try {
    return nextState(state, action);
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return { status: (err as ApiError).status, body: (err as ApiError).body };
  }
}

describe('nextState', () => {
  it('blocks anyone but an LDAP-blocked user', () => {
    for (const s of USER_STATES.filter((x) => x !== 'ldap_blocked')) expect(nextState(s, 'block')).toBe('blocked');
    expect(refusal('ldap_blocked', 'block')).toEqual({ status: 403, body: { message: '403 Forbidden - LDAP blocked users cannot be modified by the API' } });
  });

  it('unblocks to active, except LDAP-blocked and deactivated users', () => {
    expect(nextState('blocked', 'unblock')).toBe('active');
    expect(nextState('blocked_pending_approval', 'unblock')).toBe('active');
    expect(nextState('active', 'unblock')).toBe('active');
    expect(refusal('ldap_blocked', 'unblock')).toMatchObject({ status: 403, body: { message: expect.stringContaining('LDAP blocked users cannot be unblocked') } });
    expect(refusal('deactivated', 'unblock')).toMatchObject({ status: 403, body: { message: expect.stringContaining('Deactivated users cannot be unblocked') } });
  });

  it('deactivates and activates only users that are not blocked in any way', () => {
    expect(nextState('active', 'deactivate')).toBe('deactivated');
    expect(nextState('deactivated', 'deactivate')).toBe('deactivated');
    expect(nextState('deactivated', 'activate')).toBe('active');
    for (const s of ['blocked', 'ldap_blocked', 'blocked_pending_approval'] as const) {
      expect(refusal(s, 'deactivate')).toMatchObject({ status: 403, body: { message: expect.stringContaining('A blocked user cannot be deactivated') } });
      expect(refusal(s, 'activate')).toMatchObject({ status: 403, body: { message: expect.stringContaining('A blocked user must be unblocked') } });
    }
  });
});
