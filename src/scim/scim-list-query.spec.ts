import { listWindow } from './scim-list-query';

describe('listWindow: the page a SCIM list returns', () => {
  it('defaults to the first 20', () => {
    expect(listWindow({})).toEqual({ startIndex: 1, count: 20 });
  });

  it('startIndex below 1 or unreadable is 1', () => {
    for (const startIndex of ['0', '-5', 'abc', '1.5', '']) expect(listWindow({ startIndex }).startIndex).toBe(1);
    expect(listWindow({ startIndex: ' +7 ' }).startIndex).toBe(7);
  });

  it('count stays within 0..100; an unreadable count is the default', () => {
    expect(listWindow({ count: '0' }).count).toBe(0);
    expect(listWindow({ count: '-3' }).count).toBe(0);
    expect(listWindow({ count: '250' }).count).toBe(100);
    expect(listWindow({ count: 'ten' }).count).toBe(20);
  });

  it('a huge startIndex stays a safe integer, so it renders as a JSON integer', () => {
    expect(listWindow({ startIndex: '99999999999999999999999' }).startIndex).toBe(Number.MAX_SAFE_INTEGER);
  });
});
