import { ApiError } from '../common/api-error';
import { readCreateBody } from './scim-create-body';

const email = (value: unknown, extra: Record<string, unknown> = {}) => ({ value, ...extra });
const valid = { externalId: 'ext-1', userName: 'jane.doe', emails: [email('jane@example.com')] };

/** The SCIM error a body is refused with: status, scimType and detail. */
function refusal(body: Record<string, unknown>) {
  try {
    readCreateBody(body);
  } catch (err) {
    if (err instanceof ApiError) {
      const b = err.body as { scimType?: string; detail: string };
      return { status: err.status, scimType: b.scimType, detail: b.detail };
    }
    throw err;
  }
  return null;
}

describe('readCreateBody: the attributes a POST /Users must carry', () => {
  it('names every missing attribute at once; blank, null and an empty email list are missing', () => {
    expect(refusal({})).toEqual({
      status: 400,
      scimType: 'invalidValue',
      detail: 'Missing required attributes: externalId, userName, emails',
    });
    expect(refusal({ externalId: ' ', userName: null, emails: [] })?.detail).toBe(
      'Missing required attributes: externalId, userName, emails',
    );
    expect(refusal({ ...valid, userName: '' })?.detail).toBe('Missing required attributes: userName');
  });

  it('takes `id` when externalId is absent, and reads attribute names in any letter case', () => {
    expect(readCreateBody({ id: 'from-id', USERNAME: 'jane', Emails: [{ VALUE: 'j@x.io' }] })).toMatchObject({
      externUid: 'from-id',
      userName: 'jane',
      email: 'j@x.io',
    });
    expect(readCreateBody({ ...valid, id: 'ignored' }).externUid).toBe('ext-1');
  });

  it('refuses values of the wrong type or longer than 255 characters', () => {
    expect(refusal({ ...valid, externalId: 42 })?.detail).toBe('Invalid value for externalId');
    expect(refusal({ ...valid, externalId: 'x'.repeat(256) })?.detail).toBe('Invalid value for externalId');
    expect(refusal({ ...valid, userName: ['jane'] })?.detail).toBe('Invalid value for userName');
    expect(refusal({ ...valid, emails: 'jane@example.com' })?.detail).toBe('Invalid value for emails');
    expect(refusal({ ...valid, emails: [email('a@b.c'), 'x'] })?.detail).toBe('Invalid value for emails');
  });

  it('chooses the primary email, else the work one, else the first, and trims it', () => {
    const emails = [email('first@x.io'), email('work@x.io', { type: 'Work' }), email(' primary@x.io ', { primary: 'TRUE' })];
    expect(readCreateBody({ ...valid, emails }).email).toBe('primary@x.io');
    expect(readCreateBody({ ...valid, emails: emails.slice(0, 2) }).email).toBe('work@x.io');
    expect(readCreateBody({ ...valid, emails: emails.slice(0, 1) }).email).toBe('first@x.io');
  });

  it("answers Email can't be blank / Email is invalid for the chosen email", () => {
    expect(refusal({ ...valid, emails: [email('  ')] })?.detail).toBe("Email can't be blank");
    expect(refusal({ ...valid, emails: [{ type: 'work' }] })?.detail).toBe("Email can't be blank");
    expect(refusal({ ...valid, emails: [email('not-an-address')] })?.detail).toBe('Email is invalid');
    expect(refusal({ ...valid, emails: [email(`${'a'.repeat(251)}@x.io`)] })?.detail).toBe('Email is invalid');
  });

  it('display name: name as text, else name.formatted, else given and family names, else displayName, else userName', () => {
    expect(readCreateBody({ ...valid, name: ' Jane Q. Doe ' }).displayName).toBe('Jane Q. Doe');
    expect(readCreateBody({ ...valid, name: { formatted: 'Formatted', givenName: 'Jane', familyName: 'Doe' } })).toMatchObject({
      displayName: 'Formatted',
      givenName: 'Jane',
      familyName: 'Doe',
    });
    expect(readCreateBody({ ...valid, 'name.formatted': 'Flat Formatted' }).displayName).toBe('Flat Formatted');
    expect(readCreateBody({ ...valid, name: { givenName: 'Jane', familyName: 'Doe' } }).displayName).toBe('Jane Doe');
    expect(readCreateBody({ ...valid, name: { familyName: 'Doe' } }).displayName).toBe('Doe');
    expect(readCreateBody({ ...valid, displayName: 'Shown' }).displayName).toBe('Shown');
    expect(readCreateBody({ ...valid, userName: ' jane.doe ' })).toMatchObject({
      displayName: 'jane.doe',
      givenName: null,
      familyName: null,
    });
  });

  it('refuses a name part longer than 255 characters', () => {
    expect(refusal({ ...valid, name: { givenName: 'x'.repeat(256) } })?.detail).toBe('Invalid value for name');
    expect(refusal({ ...valid, displayName: 'x'.repeat(256) })?.detail).toBe('Invalid value for name');
  });

  it('checks presence, then types, then the email, then the name', () => {
    expect(refusal({ externalId: 7, userName: 'x'.repeat(300) })?.detail).toBe('Missing required attributes: emails');
    expect(refusal({ ...valid, externalId: 7, userName: 7 })?.detail).toBe('Invalid value for externalId');
    expect(refusal({ ...valid, emails: [email('bad')], name: { givenName: 'x'.repeat(256) } })?.detail).toBe('Email is invalid');
  });
});
