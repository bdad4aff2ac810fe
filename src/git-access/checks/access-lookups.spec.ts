import { aProject, aUser } from '../../../test/helpers/access-context';
import { AccessLookups, LookupSources } from './access-lookups';

/** Sources that record which server each read went to and answer fixed values. */
function sources() {
  const reads: string[] = [];
  const primary = { name: 'primary' };
  const replica = { name: 'replica' };
  const s = {
    dataSource: { manager: primary },
    replicas: { read: (work: (m: unknown) => Promise<unknown>) => work(replica) },
    access: {
      projectAccessLevel: jest.fn(async (userId: number, _projectId: number, m: { name: string }) => (reads.push(`level ${userId} @${m.name}`), 30)),
      groupAccessLevel: jest.fn(async (_u: number, _g: number, m: { name: string }) => (reads.push(`group @${m.name}`), 40)),
    },
    deployKeyLinks: { linkOf: jest.fn(async (_k: number, _p: number, m: { name: string }) => (reads.push(`link @${m.name}`), { can_push: true })) },
    tree: { findByPathWithRoot: jest.fn(async (_path: string, m: { name: string }) => (reads.push(`namespace @${m.name}`), null)) },
  };
  return { reads, sources: s as unknown as LookupSources };
}

describe('the reads of one request', () => {
  it('asks for a user’s level once per user', async () => {
    const { reads, sources: s } = sources();
    const lookups = new AccessLookups(s, null);
    const project = aProject();
    const alice = aUser({ id: 1 });
    expect(await Promise.all([lookups.level(alice, project), lookups.level(alice, project), lookups.level(aUser({ id: 2 }), project)])).toEqual([30, 30, 30]);
    expect(await lookups.level(null, project)).toBe(0);
    expect(reads).toEqual(['level 1 @replica', 'level 2 @replica']);
  });

  it("asks for the deploy key's link once, and never without a deploy key", async () => {
    const { reads, sources: s } = sources();
    const withKey = new AccessLookups(s, 9);
    await withKey.deployKeyLink(aProject());
    expect(await withKey.deployKeyLink(aProject())).toEqual({ can_push: true });
    expect(await new AccessLookups(s, null).deployKeyLink(aProject())).toBeNull();
    expect(reads).toEqual(['link @replica']);
  });

  it('reads on a replica until the request wrote something, then on the primary', async () => {
    const { reads, sources: s } = sources();
    const lookups = new AccessLookups(s, null);
    await lookups.namespaceByPath('grp');
    await lookups.groupLevel(1, 2);
    lookups.usePrimary();
    await lookups.namespaceByPath('grp');
    await lookups.level(aUser(), aProject());
    expect(reads).toEqual(['namespace @replica', 'group @replica', 'namespace @primary', 'level 11 @primary']);
  });
});
