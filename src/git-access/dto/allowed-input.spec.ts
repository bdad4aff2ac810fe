import { readAllowedInput } from './allowed-input';

describe('readAllowedInput: the /allowed parameters typed at the door', () => {
  it('reads scalars as text and leaves anything else absent, refusing nothing', () => {
    const input = readAllowedInput({ action: 'git-upload-pack', project: 42, gl_repository: ['project-1'], protocol: true, changes: { a: 1 } });
    expect(input).toMatchObject({ action: 'git-upload-pack', project: '42', protocol: 'true' });
    expect(input.gl_repository).toBeUndefined();
    expect(input.changes).toBeUndefined();
  });

  it("gives '' for an absent action or protocol, and {} for an unusable env", () => {
    expect(readAllowedInput({})).toMatchObject({ action: '', protocol: '', env: {} });
    expect(readAllowedInput({ env: 'not json' }).env).toEqual({});
    expect(readAllowedInput({ env: '[1]' }).env).toEqual({});
  });

  it("parses Gitaly's env from a JSON string or an object, keeping only the quarantine directories", () => {
    const env = { GIT_OBJECT_DIRECTORY_RELATIVE: 'objects/incoming-1', GIT_ALTERNATE_OBJECT_DIRECTORIES_RELATIVE: ['objects'], OTHER: 'x' };
    const expected = { GIT_OBJECT_DIRECTORY_RELATIVE: 'objects/incoming-1', GIT_ALTERNATE_OBJECT_DIRECTORIES_RELATIVE: ['objects'] };
    expect(readAllowedInput({ env: JSON.stringify(env) }).env).toEqual(expected);
    expect(readAllowedInput({ env }).env).toEqual(expected);
  });

  it('keeps the actor parameters as sent: which one is present decides the actor', () => {
    const input = readAllowedInput({ key_id: 7, username: null, identifier: 'user-3' });
    expect(input).toMatchObject({ key_id: 7, username: null, identifier: 'user-3' });
    expect(input.user_id).toBeUndefined();
  });
});
