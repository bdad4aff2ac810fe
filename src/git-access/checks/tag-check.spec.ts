import { aRefAccess, BLANK, denialOf, SHA_A, SHA_B } from '../../../test/helpers/access-context';
import { MESSAGES } from '../messages';
import { RefAccess } from './ref-access';
import { checkTagChange } from './tag-check';

const line = (oldrev: string, newrev: string, tag: string) => ({ oldrev, newrev, ref: `refs/tags/${tag}` });
const create = (tag: string) => line(BLANK, SHA_B, tag);
const update = (tag: string) => line(SHA_A, SHA_B, tag);
const remove = (tag: string) => line(SHA_A, BLANK, tag);
const denied = (reason: string, message: string) => ({ reason, status: 401, body: { status: false, message } });
const check = (access: RefAccess, l: ReturnType<typeof line>) => denialOf(() => checkTagChange(access, l, l.ref.slice('refs/tags/'.length)));
const protectedV = { tags: [{ name: 'v*', create: [{ access_level: 40, deploy_key_id: null }] }] };

describe('tag rules', () => {
  it('T1: changing or deleting an existing tag needs push_code', async () => {
    expect(await check(aRefAccess({ adminTag: false }), update('x'))).toEqual(denied('T1', MESSAGES.changeExistingTags));
    expect(await check(aRefAccess({ adminTag: false }), remove('x'))).toEqual(denied('T1', MESSAGES.changeExistingTags));
    expect(await check(aRefAccess({ adminTag: false }), create('x'))).toBeNull();
  });

  it('T2: no tag named like the default branch', async () => {
    expect(await check(aRefAccess(), create('main'))).toEqual(denied('T2', MESSAGES.defaultBranchTag));
    expect(await check(aRefAccess(), update('main'))).toBeNull();
  });

  it('T3: no prohibited tag name, T4: no SHA-like tag name (deletions exempt)', async () => {
    for (const tag of ['refs/tags/x', 'a..b', 'x.lock', '-x', 'a b']) expect(await check(aRefAccess(), create(tag))).toEqual(denied('T3', MESSAGES.prohibitedTagPattern));
    expect(await check(aRefAccess(), create(SHA_A))).toEqual(denied('T4', MESSAGES.hexTagName));
    expect(await check(aRefAccess(), remove(SHA_A))).toBeNull();
  });

  it('T5: a protected tag is never updated', async () => {
    expect(await check(aRefAccess({ ...protectedV, refUserLevel: 50 }), update('v1'))).toEqual(denied('T5', MESSAGES.updateProtectedTag));
  });

  it('T6 and T7: a protected tag is deleted by a maintainer on the web', async () => {
    expect(await check(aRefAccess({ ...protectedV, protocol: 'web', refUserLevel: 40 }), remove('v1'))).toEqual(denied('T6', MESSAGES.deleteProtectedTag));
    expect(await check(aRefAccess({ ...protectedV, maintainer: true, refUserLevel: 40 }), remove('v1'))).toEqual(
      denied('T7', MESSAGES.nonWebDeleteProtectedTag),
    );
    expect(await check(aRefAccess({ ...protectedV, maintainer: true, protocol: 'web', refUserLevel: 40 }), remove('v1'))).toBeNull();
  });

  it('T8: a protected tag is created by an admitted role or any deploy key', async () => {
    expect(await check(aRefAccess({ ...protectedV, refUserLevel: 30 }), create('v1'))).toEqual(denied('T8', MESSAGES.createProtectedTag));
    expect(await check(aRefAccess({ ...protectedV, refUserLevel: 40 }), create('v1'))).toBeNull();
    expect(await check(aRefAccess({ ...protectedV, deployKeyId: 3, refUserLevel: 0 }), create('v1'))).toBeNull();
    expect(await check(aRefAccess({ ...protectedV, refUserLevel: 30 }), create('w1'))).toBeNull();
  });
});
