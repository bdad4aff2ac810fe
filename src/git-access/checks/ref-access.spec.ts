import { aRefAccess } from '../../../test/helpers/access-context';
import { ProtectedBranchRule } from './protected-refs.repository';
import { admits, canCreateTag, canMergeToBranch, canPushToBranch } from './ref-access';

const role = (access_level: number) => ({ access_level, deploy_key_id: null });
const key = (deploy_key_id: number) => ({ access_level: null, deploy_key_id });
const branch = (push: ProtectedBranchRule['push'], merge: number[] = []): ProtectedBranchRule => ({ name: 'main', allow_force_push: false, push, merge });

describe('access-level rows', () => {
  it('a role row admits a user with push_code at that level or above', () => {
    expect(admits(aRefAccess({ refUserLevel: 30 }), role(30))).toBe(true);
    expect(admits(aRefAccess({ refUserLevel: 30 }), role(40))).toBe(false);
    expect(admits(aRefAccess({ refUserLevel: 50 }), role(40))).toBe(true);
    expect(admits(aRefAccess({ refUserLevel: 40, adminTag: false }), role(40))).toBe(false);
  });

  it('the admin row (60) admits admins only; "no one" (0) and unknown levels admit nobody', () => {
    expect(admits(aRefAccess({ refUserAdmin: true }), role(60))).toBe(true);
    expect(admits(aRefAccess({ refUserLevel: 50 }), role(60))).toBe(false);
    expect(admits(aRefAccess({ refUserAdmin: true, refUserLevel: 50 }), role(0))).toBe(false);
    expect(admits(aRefAccess({ refUserLevel: 50 }), role(20))).toBe(false);
  });

  it('a deploy-key row admits that deploy key only', () => {
    expect(admits(aRefAccess({ deployKeyId: 4 }), key(4))).toBe(true);
    expect(admits(aRefAccess({ deployKeyId: 5 }), key(4))).toBe(false);
    expect(admits(aRefAccess({ deployKeyId: null, refUserAdmin: true }), key(4))).toBe(false);
  });
});

describe('protected branch and tag permissions', () => {
  it('pushing needs push_code and an admitting push row', () => {
    expect(canPushToBranch(aRefAccess(), [branch([role(40)]), branch([role(30)])])).toBe(true);
    expect(canPushToBranch(aRefAccess(), [branch([role(40)])])).toBe(false);
    expect(canPushToBranch(aRefAccess({ canPush: false }), [branch([role(30)])])).toBe(false);
  });

  it('merging reads the merge levels', () => {
    expect(canMergeToBranch(aRefAccess(), [branch([], [30])])).toBe(true);
    expect(canMergeToBranch(aRefAccess(), [branch([role(30)], [40])])).toBe(false);
  });

  it('a deploy key creates any protected tag; others need an admitting create row', () => {
    const tag = { name: 'v*', create: [role(40)] };
    expect(canCreateTag(aRefAccess({ deployKeyId: 1 }), [tag])).toBe(true);
    expect(canCreateTag(aRefAccess({ refUserLevel: 30 }), [tag])).toBe(false);
    expect(canCreateTag(aRefAccess({ refUserLevel: 40 }), [tag])).toBe(true);
  });
});
