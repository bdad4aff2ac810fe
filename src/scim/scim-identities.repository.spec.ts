import { filterCondition } from './scim-identities.repository';
import { parseScimFilter } from './scim-filter';

describe('filterCondition: a filter term as SQL on the identity (i) and its user (u)', () => {
  const conditions = (filter: string) => parseScimFilter(filter)!.map((term, n) => filterCondition(term, `f${n}`));

  it('id and externalId are the extern_uid, compared exactly', () => {
    expect(conditions('id eq "Ab-1" and externalId eq "x"')).toEqual([
      { sql: 'i.extern_uid = :f0', params: { f0: 'Ab-1' } },
      { sql: 'i.extern_uid = :f1', params: { f1: 'x' } },
    ]);
  });

  it("userName is the identity's user_name, else the user's username, case-insensitively", () => {
    expect(conditions('userName eq "Jane"')).toEqual([
      { sql: 'lower(coalesce(i.user_name, u.username)) = lower(:f0)', params: { f0: 'Jane' } },
    ]);
  });

  it("emails.value is the user's email, case-insensitively; active is the identity's flag", () => {
    expect(conditions('emails.value eq "J@X.io" and active eq false')).toEqual([
      { sql: 'lower(u.email) = lower(:f0)', params: { f0: 'J@X.io' } },
      { sql: 'i.active = :f1', params: { f1: false } },
    ]);
  });

  it('values travel as parameters, never in the SQL text', () => {
    const [condition] = conditions(`userName eq "x' OR 1=1 --"`);
    expect(condition.sql).not.toContain('OR 1=1');
    expect(condition.params.f0).toBe("x' OR 1=1 --");
  });
});
