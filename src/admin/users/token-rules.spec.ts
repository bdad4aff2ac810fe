import { ApiError } from '../../common/api-error';
import { readParams } from '../../common/params';
import { CreatePatBody } from '../dto/users.dto';
import { checkKeyTitle } from './admin-user-keys.service';
import { tokenExpiry } from './token-rules';

const NOW = new Date('2026-06-15T12:00:00Z');

function bodyOf(fn: () => unknown): unknown {
  try {
    return fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return (err as ApiError).body;
  }
}

describe('personal access token rules', () => {
  it('reads one scope or a list of scopes an admin may give', () => {
    expect(readParams(CreatePatBody, { name: 'ci', scopes: 'api' }).scopes).toEqual(['api']);
    expect(readParams(CreatePatBody, { name: 'ci', scopes: ['read_repository', 'sudo', 'admin_mode'] }).scopes).toHaveLength(3);
    expect(bodyOf(() => readParams(CreatePatBody, { name: 'ci', scopes: ['api', 'ai_features'] }))).toEqual({ error: 'scopes does not have a valid value' });
    expect(bodyOf(() => readParams(CreatePatBody, { name: 'ci', scopes: ['api'], expires_at: '2026-02-30' }))).toEqual({ error: 'expires_at is invalid' });
  });

  it('defaults the expiry to a year from today when the instance requires one, and refuses a later date', () => {
    const input = (extra: object) => readParams(CreatePatBody, { name: 'ci', scopes: ['api'], ...extra });
    expect(tokenExpiry(input({}), true, NOW)).toBe('2027-06-15');
    expect(tokenExpiry(input({}), false, NOW)).toBeNull();
    expect(tokenExpiry(input({ expires_at: '2027-06-15' }), true, NOW)).toBe('2027-06-15');
    expect(bodyOf(() => tokenExpiry(input({ expires_at: '2027-06-16' }), true, NOW))).toEqual({ message: { expires_at: ['must be before 2027-06-15'] } });
    expect(tokenExpiry(input({ expires_at: '2030-01-01' }), false, NOW)).toBe('2030-01-01');
  });

  it('answers a blank name and an empty scope list together', () => {
    const input = readParams(CreatePatBody, { name: '  ', scopes: [] });
    expect(bodyOf(() => tokenExpiry(input, false, NOW))).toEqual({ message: { name: ["can't be blank"], scopes: ["can't be blank"] } });
  });
});

describe('SSH key title', () => {
  it('is not blank and fits its column', () => {
    expect(bodyOf(() => checkKeyTitle('laptop'))).toBeUndefined();
    expect(bodyOf(() => checkKeyTitle(' '))).toEqual({ message: { title: ["can't be blank"] } });
    expect(bodyOf(() => checkKeyTitle('t'.repeat(256)))).toEqual({ message: { title: ['is too long (maximum is 255 characters)'] } });
  });
});
