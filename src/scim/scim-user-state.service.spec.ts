import { EntityManager } from 'typeorm';
import { conflict } from '../common/api-error';
import { todayUtc } from '../common/coerce';
import { User } from '../identity/entities/user.entity';
import { UsersService } from '../identity/users.service';
import { Member } from '../namespaces/entities/member.entity';
import { MembersService } from '../namespaces/members.service';
import { MembershipRepository } from '../namespaces/membership.repository';
import { ScimIdentity } from './entities/scim-identity.entity';
import { ScimIdentitiesRepository } from './scim-identities.repository';
import { RetryTransaction } from './scim-lost-race';
import { ScimScope } from './scim-tokens.service';
import { instanceUserState, ScimUserStateService } from './scim-user-state.service';

describe('instanceUserState: what `active` does to the user in the instance scope', () => {
  it('false blocks an active user, true unblocks a blocked one', () => {
    expect(instanceUserState(false, 'active')).toBe('blocked');
    expect(instanceUserState(true, 'blocked')).toBe('active');
  });

  it('leaves every other state alone', () => {
    expect(instanceUserState(true, 'active')).toBeNull();
    expect(instanceUserState(false, 'blocked')).toBeNull();
    for (const state of ['ldap_blocked', 'deactivated', 'blocked_pending_approval', 'banned']) {
      expect(instanceUserState(true, state)).toBeNull();
      expect(instanceUserState(false, state)).toBeNull();
    }
  });
});

/**
 * The service against in-memory collaborators that record what was asked of them: the writes a decision makes,
 * not how the core makes them (the end-to-end suite covers that on PostgreSQL).
 */
function setup(
  options: { membership?: Partial<Member> | null; owners?: { isOwner: boolean; otherOwner: boolean }; removed?: number } = {},
) {
  const writes: string[] = [];
  const identities = {
    groupDefaultAccessLevel: async () => 30,
    setActive: async (id: number, active: boolean) => void writes.push(`identity ${id} active=${active}`),
  } as unknown as ScimIdentitiesRepository;
  const users = { setState: async (id: number, state: string) => void writes.push(`user ${id} ${state}`) } as unknown as UsersService;
  let addError: unknown = null;
  const members = {
    add: async (input: { sourceId: number; userId: number; accessLevel: number }) => {
      if (addError) throw addError;
      writes.push(`add member ${input.userId} to ${input.sourceId} at ${input.accessLevel}`);
    },
  } as unknown as MembersService;
  const memberships = {
    makeCounting: async (id: number, level: number) => void writes.push(`member ${id} counting at ${level}`),
    directOwnership: async () => options.owners ?? { isOwner: false, otherOwner: false },
    removeUserFromTree: async (userId: number, groupId: number) => {
      writes.push(`remove ${userId} from tree ${groupId}`);
      return options.removed ?? 1;
    },
  } as unknown as MembershipRepository;
  const m = {
    getRepository: () => ({ findOne: async () => (options.membership === undefined ? null : options.membership) }),
  } as unknown as EntityManager;
  const service = new ScimUserStateService(identities, users, members, memberships);
  return { service, m, writes, failAdd: (err: unknown) => (addError = err) };
}

const group = { baseUrl: 'http://x', tokenId: 1, group: { id: 7, name: 'Group', full_path: 'group' } } as unknown as ScimScope;
const instance = { baseUrl: 'http://x', tokenId: 1, group: null } as ScimScope;
const identity = (active: boolean) => ({ id: 3, active }) as ScimIdentity;
const user = (state: string) => ({ id: 5, name: 'Jane Doe', state }) as User;

describe('ScimUserStateService.setActive', () => {
  it('instance scope: deactivating blocks the user and the identity; nothing else', async () => {
    const { service, m, writes } = setup();
    expect(await service.setActive(m, instance, identity(true), user('active'), false)).toBe(true);
    expect(writes).toEqual(['user 5 blocked', 'identity 3 active=false']);
  });

  it('instance scope: a repeated request changes nothing and says so', async () => {
    const { service, m, writes } = setup();
    expect(await service.setActive(m, instance, identity(false), user('blocked'), false)).toBe(false);
    expect(writes).toEqual([]);
  });

  it("group scope: activating adds a membership at the group's default level", async () => {
    const { service, m, writes } = setup({ membership: null });
    expect(await service.setActive(m, group, identity(false), user('active'), true)).toBe(true);
    expect(writes).toEqual(['add member 5 to 7 at 30', 'identity 3 active=true']);
  });

  it('group scope: a counting membership stays as it is; an expired one or an access request is made counting', async () => {
    const counting = setup({ membership: { id: 9, state: 0, requested_at: null, expires_at: null } });
    expect(await counting.service.setActive(counting.m, group, identity(true), user('active'), true)).toBe(false);
    expect(counting.writes).toEqual([]);

    const expired = setup({ membership: { id: 9, state: 0, requested_at: null, expires_at: todayUtc() } });
    expect(await expired.service.setActive(expired.m, group, identity(true), user('active'), true)).toBe(true);
    expect(expired.writes).toEqual(['member 9 counting at 30']);

    const request = setup({ membership: { id: 9, state: 0, requested_at: new Date(), expires_at: null } });
    expect(await request.service.setActive(request.m, group, identity(true), user('active'), true)).toBe(true);
    expect(request.writes).toEqual(['member 9 counting at 30']);
  });

  it('group scope: deactivating removes the memberships of the tree and never touches the user state', async () => {
    const { service, m, writes } = setup();
    expect(await service.setActive(m, group, identity(true), user('active'), false)).toBe(true);
    expect(writes).toEqual(['remove 5 from tree 7', 'identity 3 active=false']);
  });

  it('group scope: the last owner cannot be deprovisioned (400 mutability), and nothing is written', async () => {
    const { service, m, writes } = setup({ owners: { isOwner: true, otherOwner: false } });
    await expect(service.setActive(m, group, identity(true), user('active'), false)).rejects.toMatchObject({
      status: 400,
      body: { scimType: 'mutability', detail: 'Could not remove Jane Doe from Group. Cannot remove last group owner.' },
    });
    expect(writes).toEqual([]);
  });

  it('group scope: a membership added concurrently voids the transaction so it runs again', async () => {
    const { service, m, failAdd } = setup({ membership: null });
    failAdd(conflict('Member already exists'));
    await expect(service.ensureMembership(m, 7, 5)).rejects.toBeInstanceOf(RetryTransaction);
  });
});
