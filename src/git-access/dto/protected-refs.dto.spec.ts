import { ApiError } from '../../common/api-error';
import { readParams } from '../../common/params';
import { branchInput } from '../admin/protected-refs.service';
import { CreateBroadcastMessageBody } from './broadcast-messages.dto';
import { CreateProtectedBranchBody } from './protected-refs.dto';

function bodyOf(fn: () => unknown): unknown {
  try {
    return fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return (err as ApiError).body;
  }
}

describe('protected branch parameters', () => {
  it('answers any bad level as "does not have a valid value" and a blank name as missing', () => {
    expect(bodyOf(() => readParams(CreateProtectedBranchBody, { name: ' ', push_access_level: 20, merge_access_level: 'abc' }))).toEqual({
      error: 'name is missing, push_access_level does not have a valid value, merge_access_level does not have a valid value',
    });
  });

  it('reads allowed_to_* entries, reporting the first bad one', () => {
    const read = (allowed: unknown, key = 'allowed_to_push') => bodyOf(() => readParams(CreateProtectedBranchBody, { name: 'x', [key]: allowed }));
    expect(read([{ access_level: 25 }])).toEqual({ error: 'allowed_to_push[access_level] does not have a valid value' });
    expect(read([{}])).toEqual({ error: 'allowed_to_push is invalid' });
    expect(read(['x'])).toEqual({ error: 'allowed_to_push is invalid' });
    expect(read([{ deploy_key_id: 'k' }])).toEqual({ error: 'allowed_to_push is invalid' });
    expect(read([{ deploy_key_id: 3 }], 'allowed_to_merge')).toEqual({ error: 'allowed_to_merge is invalid' });
    const dto = readParams(CreateProtectedBranchBody, { name: 'x', allowed_to_push: { 0: { deploy_key_id: '3' }, 1: { access_level: '60' } } });
    expect(dto.allowed_to_push).toEqual([{ deploy_key_id: 3 }, { access_level: 60 }]);
  });

  it('gives a rule the Maintainers level unless only allowed_to_* entries are named', () => {
    expect(branchInput(readParams(CreateProtectedBranchBody, { name: 'x' }))).toEqual({
      name: 'x',
      push: [{ access_level: 40 }],
      merge: [{ access_level: 40 }],
      allowForcePush: false,
    });
    const only = branchInput(readParams(CreateProtectedBranchBody, { name: 'x', allowed_to_push: [{ deploy_key_id: 3 }], merge_access_level: '0' }));
    expect(only).toMatchObject({ push: [{ deploy_key_id: 3 }], merge: [{ access_level: 0 }] });
  });
});

describe('broadcast message parameters', () => {
  it('reads one level or a list, each a member level', () => {
    expect(readParams(CreateBroadcastMessageBody, { message: 'm', target_access_levels: '30' }).target_access_levels).toEqual([30]);
    expect(readParams(CreateBroadcastMessageBody, { message: 'm', target_access_levels: [30, null, '40'] }).target_access_levels).toEqual([30, 40]);
    expect(bodyOf(() => readParams(CreateBroadcastMessageBody, { message: 'm', target_access_levels: [30, 'x'] }))).toEqual({
      error: 'target_access_levels does not have a valid value',
    });
  });
});
