import { aContext, aKey, anActor, aProject, aUser, someSettings } from '../../../test/helpers/access-context';
import { MESSAGES } from '../messages';
import { allowedBody } from './allowed-response';

const now = Date.parse('2026-06-01T00:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
const project = aProject({ id: 7, full_path: 'grp/proj', disk_path: '@hashed/ab/cd/abcd', root_namespace_id: 3, repository_storage: 'default' });
const storage = { address: 'tcp://gitaly:8075', token: 'secret' };

describe('the success payload', () => {
  it("names the repository, the actor and Gitaly's address", () => {
    const ctx = aContext({ actor: anActor('key', aUser({ id: 11, username: 'alice' }), aKey({ id: 21 })) });
    expect(allowedBody(ctx, project, storage, now)).toEqual({
      status: true,
      gl_repository: 'project-7',
      gl_project_path: 'grp/proj',
      gl_project_id: 7,
      gl_root_namespace_id: 3,
      gl_id: 'user-11',
      gl_username: 'alice',
      git_config_options: ['uploadpack.allowFilter=true', 'uploadpack.allowAnySHA1InWant=true'],
      gitaly: {
        repository: {
          storage_name: 'default',
          relative_path: '@hashed/ab/cd/abcd.git',
          git_object_directory: '',
          git_alternate_object_directories: [],
          gl_repository: 'project-7',
          gl_project_path: 'grp/proj',
        },
        address: 'tcp://gitaly:8075',
        token: 'secret',
        features: {},
      },
      gl_console_messages: [],
      need_audit: false,
      gl_key_type: 'key',
      gl_key_id: 21,
    });
  });

  it('drops the keys an anonymous actor has no value for; an unknown storage gives empty strings', () => {
    const body = allowedBody(aContext({ actor: anActor('anonymous') }), project, undefined, now);
    expect(body).not.toHaveProperty('gl_username');
    expect(body).not.toHaveProperty('gl_key_type');
    expect(body).not.toHaveProperty('gl_key_id');
    expect(body.gl_id).toBe('');
    expect(body.gitaly).toMatchObject({ address: '', token: '' });
  });

  it("a deploy key is `deploy_key`, acting as its creator's gl_id", () => {
    const body = allowedBody(aContext({ actor: anActor('deploy_key', aUser({ id: 5 }), aKey({ id: 9 })) }), project, storage, now);
    expect(body).toMatchObject({ gl_key_type: 'deploy_key', gl_key_id: 9, gl_id: 'user-5' });
  });

  it('adds receive.maxInputSize in bytes when the instance sets a positive limit in MiB', () => {
    expect(allowedBody(aContext({ settings: someSettings({ receive_max_input_size: 2 }) }), project, storage, now).git_config_options).toEqual([
      'uploadpack.allowFilter=true',
      'uploadpack.allowAnySHA1InWant=true',
      'receive.maxInputSize=2097152',
    ]);
    expect(allowedBody(aContext({ settings: someSettings({ receive_max_input_size: 0 }) }), project, storage, now).git_config_options).toHaveLength(2);
  });

  it("passes Gitaly's quarantine directories back", () => {
    const ctx = aContext({ env: { GIT_OBJECT_DIRECTORY_RELATIVE: 'objects/q', GIT_ALTERNATE_OBJECT_DIRECTORIES_RELATIVE: ['objects'] } });
    expect(allowedBody(ctx, project, storage, now).gitaly).toMatchObject({
      repository: { git_object_directory: 'objects/q', git_alternate_object_directories: ['objects'] },
    });
  });

  it('warns about a key expiring within seven days', () => {
    const withExpiry = (ms: number) =>
      allowedBody(aContext({ actor: anActor('key', aUser(), aKey({ expires_at: new Date(now + ms) })) }), project, storage, now).gl_console_messages;
    expect(withExpiry(DAY)).toEqual([MESSAGES.keyExpiringSoon]);
    expect(withExpiry(7 * DAY)).toEqual([]);
    expect(withExpiry(-DAY)).toEqual([]);
  });
});
