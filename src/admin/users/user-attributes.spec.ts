import { ApiError } from '../../common/api-error';
import { readParams } from '../../common/params';
import { CreateUserBody, UpdateUserBody } from '../dto/users.dto';
import { checkUserAttributes, userChanges } from './user-attributes';

function bodyOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return (err as ApiError).body;
  }
  return 'accepted';
}

const base = { email: 'a@example.com', name: 'Alice', username: 'alice' };

describe('user attributes', () => {
  it('reads the parameters as GitLab does: missing, invalid, not a valid value, all or none of provider and extern_uid', () => {
    expect(bodyOf(() => readParams(CreateUserBody, {}))).toEqual({ error: 'email is missing, name is missing, username is missing' });
    expect(bodyOf(() => readParams(CreateUserBody, { ...base, admin: 'maybe', state: 'frozen', enterprise_group_id: 0 }))).toEqual({
      error: 'admin is invalid, state does not have a valid value, enterprise_group_id is invalid',
    });
    expect(bodyOf(() => readParams(UpdateUserBody, { provider: 'kerberos' }))).toEqual({ error: 'extern_uid, provider provide all or none of parameters' });
    expect({ ...readParams(UpdateUserBody, { name: 'B', admin: 'true' }) }).toEqual({ name: 'B', admin: true });
  });

  it('answers every model rule at once', () => {
    const input = readParams(CreateUserBody, { email: 'nope', name: ' ', username: '-bad', password: 'short', notification_email: 'x', provider: 'p', extern_uid: 'u'.repeat(256) });
    expect(bodyOf(() => checkUserAttributes(input))).toEqual({
      message: {
        email: ['is invalid'],
        name: ["can't be blank"],
        username: [expect.any(String)],
        password: ['is too short (minimum is 8 characters)'],
        notification_email: ['is invalid'],
        extern_uid: ['is too long (maximum is 255 characters)'],
      },
    });
    expect(bodyOf(() => checkUserAttributes(readParams(UpdateUserBody, { notification_email: '' })))).toBe('accepted');
    expect(bodyOf(() => checkUserAttributes(readParams(UpdateUserBody, { name: 'n'.repeat(256) })))).toEqual({
      message: { name: ['is too long (maximum is 255 characters)'] },
    });
  });

  it('writes only the attributes given; an empty notification email clears it', () => {
    expect(userChanges(readParams(UpdateUserBody, { name: 'B', notification_email: '' }), undefined)).toEqual({ name: 'B', notification_email: null });
    expect(userChanges(readParams(UpdateUserBody, { external: false }), '$digest')).toEqual({ external: false, encrypted_password: '$digest' });
  });
});
