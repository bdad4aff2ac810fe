import { ApiError } from '../common/api-error';
import { parseScimFilter } from './scim-filter';

const rejected = (filter: string) => {
  try {
    parseScimFilter(filter);
  } catch (err) {
    return err instanceof ApiError && err.status === 400 && (err.body as { scimType?: string }).scimType === 'invalidFilter';
  }
  return false;
};

describe('parseScimFilter', () => {
  it('absent or blank → no filter', () => {
    expect(parseScimFilter(undefined)).toBeNull();
    expect(parseScimFilter('')).toBeNull();
    expect(parseScimFilter('   ')).toBeNull();
  });

  it('reads terms, the URN prefix, case-insensitive keywords, JSON strings and bare words', () => {
    expect(parseScimFilter('userName eq "John Smith"')).toEqual([{ attribute: 'userName', value: 'John Smith' }]);
    expect(parseScimFilter('URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER:EXTERNALID EQ a-b-c-d')).toEqual([
      { attribute: 'externalId', value: 'a-b-c-d' },
    ]);
    expect(parseScimFilter('emails.value eq "caf\\u00e9@x.org" AND active eq "FALSE"')).toEqual([
      { attribute: 'emails.value', value: 'café@x.org' },
      { attribute: 'active', value: false },
    ]);
    expect(parseScimFilter('id eq "a \\"quoted\\" id"')).toEqual([{ attribute: 'id', value: 'a "quoted" id' }]);
    expect(parseScimFilter('id eq 12e5')).toEqual([{ attribute: 'id', value: '12e5' }]);
    expect(parseScimFilter('active eq TRUE')).toEqual([{ attribute: 'active', value: true }]);
  });

  it.each([
    'id ne "x"',
    'displayName eq "x"',
    'userName eq "a" or userName eq "b"',
    'emails[type eq "work"].value eq "x"',
    'userName sw "u"',
    'userName eq "unterminated',
    'active eq maybe',
    'active eq 1',
    'userName eq',
    'userName eq null',
    'userName eq NULL',
    '(userName eq "x")',
    'not (userName eq "x")',
    'userName pr',
    'userName eq "x" trailing',
    'userName eq "x" and',
    'and userName eq "x"',
    'userName eq "x"y',
    'userName eq a"b',
    'userName eq "\\x"',
    'name.formatted eq "x"',
    'meta.created eq "x"',
  ])('rejects %s', (filter) => {
    expect(rejected(filter)).toBe(true);
  });
});
