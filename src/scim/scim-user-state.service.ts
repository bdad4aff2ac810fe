import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { todayUtc } from '../common/coerce';
import { User } from '../identity/entities/user.entity';
import { UsersService } from '../identity/users.service';
import { Member } from '../namespaces/entities/member.entity';
import { MembersService } from '../namespaces/members.service';
import { isCountingMembership, MembershipRepository } from '../namespaces/membership.repository';
import { ScimIdentity } from './entities/scim-identity.entity';
import { scimError } from './scim-exceptions';
import { ScimIdentitiesRepository } from './scim-identities.repository';
import { lostRaceOr } from './scim-lost-race';
import { ScimScope } from './scim-tokens.service';

/**
 * The user state an instance-scope `active` asks for: false blocks an active user, true unblocks a blocked one;
 * any other state (an LDAP block, a deactivated user…) stays. null: nothing to change.
 */
export function instanceUserState(active: boolean, state: string): 'active' | 'blocked' | null {
  if (active && state === 'blocked') return 'active';
  if (!active && state === 'active') return 'blocked';
  return null;
}

/**
 * What `active` means in each scope. In a group: a counting membership at the group's default access level
 * (provisioned), or none in the group, its subgroups and their projects (deprovisioned). In the instance: the
 * user's state. Every change runs in the caller's transaction through the core's services.
 */
@Injectable()
export class ScimUserStateService {
  constructor(
    private readonly identities: ScimIdentitiesRepository,
    private readonly users: UsersService,
    private readonly members: MembersService,
    private readonly memberships: MembershipRepository,
  ) {}

  /** Brings the identity, memberships (group) or user state (instance) to `active`; true when something changed. */
  async setActive(m: EntityManager, scope: ScimScope, identity: ScimIdentity, user: User, active: boolean): Promise<boolean> {
    let changed = false;
    if (scope.group) {
      changed = active ? await this.ensureMembership(m, scope.group.id, user.id) : await this.removeMemberships(m, scope, user);
    } else {
      const state = instanceUserState(active, user.state);
      if (state) {
        await this.users.setState(user.id, state, m);
        changed = true;
      }
    }
    if (identity.active !== active) {
      await this.identities.setActive(identity.id, active, m);
      changed = true;
    }
    return changed;
  }

  /** A counting membership of the user in the group (added, or an existing one made counting); true when something changed. */
  async ensureMembership(m: EntityManager, groupId: number, userId: number): Promise<boolean> {
    const existing = await m.getRepository(Member).findOne({
      where: { source_type: 'Namespace', source_id: groupId, user_id: userId },
      lock: { mode: 'pessimistic_write' },
    });
    const level = await this.identities.groupDefaultAccessLevel(groupId, m);
    if (!existing) {
      try {
        await this.members.add(
          { sourceType: 'Namespace', sourceId: groupId, userId, accessLevel: level, state: 0, requestedAt: null, expiresAt: null },
          m,
        );
      } catch (err) {
        // someone added the membership concurrently (`Member already exists`): the transaction is void, start again
        throw lostRaceOr(err);
      }
      return true;
    }
    if (isCountingMembership(existing, todayUtc())) return false;
    await this.memberships.makeCounting(existing.id, level, m);
    return true;
  }

  /** Removes the user's direct memberships in the group, its subgroups and their projects (last-owner guard first). */
  async removeMemberships(m: EntityManager, scope: ScimScope, user: User): Promise<boolean> {
    const group = scope.group!;
    const owners = await this.memberships.directOwnership(group.id, user.id, m);
    if (owners.isOwner && !owners.otherOwner)
      throw scimError(400, `Could not remove ${user.name} from ${group.name}. Cannot remove last group owner.`, 'mutability');
    return (await this.memberships.removeUserFromTree(user.id, group.id, m)) > 0;
  }
}
