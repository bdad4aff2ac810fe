import { aContext, aKey, anActor, aProject, aUser, denialOf } from '../../../test/helpers/access-context';
import { MESSAGES } from '../messages';
import { ProjectAccessFacts } from './access-lookups';
import { checkDeployKeyWritable, checkNotAnonymous, checkNotArchived, checkNotReadOnly, checkPushAny } from './push-access-checks';

const denied = (reason: string, message: string) => ({ reason, status: 401, body: { status: false, message } });
const facts = (level: number, link: { can_push: boolean } | null = null): ProjectAccessFacts => ({
  level: async () => level,
  deployKeyLink: async () => link,
});

describe('push access (G13a–G13e)', () => {
  it('G13a/G13b: a read-only repository or an archived project takes no push', async () => {
    expect(await denialOf(() => checkNotReadOnly(aProject({ repository_read_only: true })))).toEqual(denied('G13a', MESSAGES.readOnly));
    expect(await denialOf(() => checkNotArchived(aProject({ archived: true })))).toEqual(denied('G13b', MESSAGES.archived));
    expect(await denialOf(() => checkNotReadOnly(aProject()))).toBeNull();
    expect(await denialOf(() => checkNotArchived(aProject()))).toBeNull();
  });

  it('G13c: a deploy key pushes only with a writable link', async () => {
    const ctx = aContext({ actor: anActor('deploy_key', aUser(), aKey()) });
    expect(await denialOf(() => checkDeployKeyWritable(ctx, aProject(), facts(0, { can_push: true })))).toBeNull();
    for (const link of [null, { can_push: false }]) {
      expect(await denialOf(() => checkDeployKeyWritable(ctx, aProject(), facts(0, link)))).toEqual(denied('G13c', MESSAGES.deployKeyReadOnly));
    }
    expect(await denialOf(() => checkDeployKeyWritable(aContext(), aProject(), facts(0, null)))).toBeNull();
  });

  it('G13d: nobody pushes anonymously', async () => {
    expect(await denialOf(() => checkNotAnonymous({ key: null, user: null }))).toEqual(denied('G13d', MESSAGES.uploadNotAllowed));
    expect(await denialOf(() => checkNotAnonymous({ key: aKey(), user: null }))).toBeNull();
    expect(await denialOf(() => checkNotAnonymous({ key: null, user: aUser() }))).toBeNull();
  });

  it('G13e: a push without real changes needs push_code (Developer or more)', async () => {
    const ctx = aContext({ push: true, any: true });
    expect(await denialOf(() => checkPushAny(ctx, aProject(), facts(30)))).toBeNull();
    expect(await denialOf(() => checkPushAny(ctx, aProject(), facts(20)))).toEqual(denied('G13e', MESSAGES.pushNotAllowed));
    expect(await denialOf(() => checkPushAny({ ...ctx, any: false }, aProject(), facts(20)))).toBeNull();
    expect(await denialOf(() => checkPushAny({ ...ctx, deployKey: aKey() }, aProject(), facts(0)))).toBeNull();
  });
});
