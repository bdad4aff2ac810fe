import { forbidden } from '../../common/api-error';
import { UserState } from '../../identity/entities/user.entity';

export type StateAction = 'block' | 'unblock' | 'deactivate' | 'activate';

const BLOCKED: readonly UserState[] = ['blocked', 'ldap_blocked', 'blocked_pending_approval'];

/**
 * The state a user moves to, with GitLab's refusals (403): an LDAP-blocked user cannot be blocked or unblocked by
 * the API, a deactivated user cannot be unblocked, a blocked user can be neither deactivated nor activated.
 * Moving to the current state is allowed (and changes nothing).
 */
export function nextState(current: UserState, action: StateAction): UserState {
  switch (action) {
    case 'block':
      if (current === 'ldap_blocked') throw forbidden('LDAP blocked users cannot be modified by the API');
      return 'blocked';
    case 'unblock':
      if (current === 'ldap_blocked') throw forbidden('LDAP blocked users cannot be unblocked by the API');
      if (current === 'deactivated') throw forbidden('Deactivated users cannot be unblocked by the API');
      return 'active';
    case 'deactivate':
      if (BLOCKED.includes(current)) throw forbidden('A blocked user cannot be deactivated by the API');
      return 'deactivated';
    case 'activate':
      if (BLOCKED.includes(current)) throw forbidden('A blocked user must be unblocked to be activated');
      return 'active';
  }
}
