import { aKey, anActor, aProject, aUser, someSettings } from '../../../test/helpers/access-context';
import { readAllowedInput } from '../dto/allowed-input';
import { ResolvedRepository } from '../repository.service';
import { buildAccessContext, parseGitEnv, splitRequestPath } from './request-context';

const settings = someSettings();
const repo: ResolvedRepository = { project: aProject(), redirectedPath: 'old/proj', requestPath: 'old/proj', rule: 'path', excluded: false, settings };
const build = (params: Record<string, unknown>, actor = anActor('key')) =>
  buildAccessContext(readAllowedInput(params), actor, repo, settings, { audit: false, requestId: 'r' });

describe('request context', () => {
  it('derives the command kind from action', () => {
    expect(build({ action: 'git-upload-pack' })).toMatchObject({ cmd: 'git-upload-pack', push: false, download: true });
    expect(build({ action: 'git-upload-archive' })).toMatchObject({ push: false, download: true });
    expect(build({ action: 'git-receive-pack' })).toMatchObject({ push: true, download: false });
    expect(build({})).toMatchObject({ cmd: '', push: false, download: false, protocol: '' });
  });

  it('treats `_any`, an absent value and lines without three fields as no real changes', () => {
    for (const changes of [undefined, '_any', ' _any\n', 'garbage\n\n', '']) {
      expect(build({ changes })).toMatchObject({ any: true, lines: [] });
    }
    const ctx = build({ changes: `${'0'.repeat(40)} ${'b'.repeat(40)} refs/heads/main\n` });
    expect(ctx.any).toBe(false);
    expect(ctx.lines).toEqual([{ oldrev: '0'.repeat(40), newrev: 'b'.repeat(40), ref: 'refs/heads/main' }]);
  });

  it('a deploy key acts without a user; its creator stays on the actor', () => {
    const creator = aUser({ id: 5 });
    const key = aKey({ id: 9 });
    const ctx = build({}, anActor('deploy_key', creator, key));
    expect(ctx).toMatchObject({ user: null, key, deployKey: key });
    expect(ctx.actor.user).toBe(creator);
    const own = build({}, anActor('key', creator, key));
    expect(own).toMatchObject({ user: creator, key, deployKey: null });
  });

  it('takes the project and redirect from the resolved repository', () => {
    const ctx = build({ protocol: 'http' });
    expect(ctx).toMatchObject({ project: repo.project, redirectedPath: 'old/proj', protocol: 'http', settings, requestId: 'r', audit: false });
  });
});

describe('parseGitEnv', () => {
  it('reads the quarantine directories from a JSON string or an object', () => {
    const env = { GIT_OBJECT_DIRECTORY_RELATIVE: 'objects/q', GIT_ALTERNATE_OBJECT_DIRECTORIES_RELATIVE: ['objects'] };
    expect(parseGitEnv(JSON.stringify(env))).toEqual(env);
    expect(parseGitEnv(env)).toEqual(env);
  });

  it('ignores anything else', () => {
    for (const value of [undefined, null, '{not json', '[1]', '"text"', 5, [], { GIT_OBJECT_DIRECTORY_RELATIVE: 5, OTHER: 'x' }]) {
      expect(parseGitEnv(value)).toEqual({});
    }
  });
});

describe('splitRequestPath', () => {
  it('splits at the last slash', () => {
    expect(splitRequestPath('grp/sub/proj')).toEqual({ namespace: 'grp/sub', project: 'proj' });
  });

  it('needs text on both sides', () => {
    for (const path of ['', 'proj', '/proj', 'grp/']) expect(splitRequestPath(path)).toBeNull();
  });
});
