import { ApiError } from '../common/api-error';
import { interpretPatch } from './scim-patch';

const error = (body: Record<string, unknown>) => {
  try {
    interpretPatch(body);
  } catch (err) {
    if (err instanceof ApiError) return err.body;
    throw err;
  }
  return null;
};

describe('interpretPatch', () => {
  it('last value wins; keys are case-insensitive; update is replace', () => {
    expect(
      interpretPatch({
        operations: [
          { OP: 'Update', PATH: 'active', VALUE: 'false' },
          { op: 'replace', value: { externalId: 'a', 'urn:ietf:params:scim:schemas:core:2.0:User:active': true } },
          { op: 'add', path: 'id', value: 'b' },
        ],
      }),
    ).toEqual({ active: true, externUid: 'b' });
  });

  it('validates every operation before anything applies', () => {
    expect(error({ Operations: [{ op: 'replace', path: 'active', value: true }, { op: 'copy' }] })).toMatchObject({
      scimType: 'invalidSyntax',
      detail: 'Unsupported operation: copy',
    });
    expect(error({ Operations: [{ op: 'replace', path: 'active', value: true }, 'x'] })).toMatchObject({
      detail: 'Operations must be an array of operation objects',
    });
    expect(error({ Operations: [{ op: 'remove', path: 'userName' }] })).toMatchObject({
      scimType: 'mutability',
      detail: 'Attribute userName cannot be removed',
    });
    expect(error({ Operations: [{ op: 'replace', path: 'externalId[x]', value: 'y' }] })).toMatchObject({
      scimType: 'invalidPath',
      detail: 'Invalid path: externalId[x]',
    });
    expect(error({ Operations: [{ op: 'replace', path: 'id', value: 'x'.repeat(256) }] })).toMatchObject({
      detail: 'Invalid value for id',
    });
  });

  it('an empty path counts as absent', () => {
    expect(interpretPatch({ Operations: [{ op: 'replace', path: '', value: { active: ' TRUE ' } }] })).toEqual({ active: true });
    expect(error({ Operations: [{ op: 'remove', path: '' }] })).toMatchObject({
      scimType: 'noTarget',
      detail: 'Remove operation requires a path',
    });
  });
});
