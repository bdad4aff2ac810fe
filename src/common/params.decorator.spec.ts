import { mergeParams } from './params.decorator';

describe('mergeParams', () => {
  it('merges query and body, the body winning', () => {
    const merged = mergeParams({ a: '1', b: '2' }, { b: 3, c: [1, { d: 'x' }] });
    expect({ ...merged }).toEqual({ a: '1', b: 3, c: [1, { d: 'x' }] });
  });

  it('ignores bodies that are not hashes', () => {
    expect(Object.keys(mergeParams({ a: '1' }, ['x']))).toEqual(['a']);
    expect(Object.keys(mergeParams({ a: '1' }, Buffer.from('x')))).toEqual(['a']);
    expect(Object.keys(mergeParams(undefined, 'text'))).toEqual([]);
  });

  it('takes no parameter from a __proto__ key of a parsed JSON body', () => {
    const merged = mergeParams({}, JSON.parse('{"__proto__":{"admin":true},"name":"n"}'));
    expect(merged.admin).toBeUndefined();
    expect('admin' in merged).toBe(false);
    expect(Object.keys(merged)).toEqual(['name']);
    expect(Object.getPrototypeOf(merged)).toBeNull();
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('drops constructor and prototype keys and has no inherited members', () => {
    const merged = mergeParams({ constructor: 'q' }, JSON.parse('{"constructor":{"prototype":{"admin":true}},"prototype":{"admin":true}}'));
    expect(Object.keys(merged)).toEqual([]);
    expect(merged.constructor).toBeUndefined();
    expect(merged.toString).toBeUndefined();
    expect(merged.hasOwnProperty).toBeUndefined();
  });

  it('cleans nested hashes too, so spreading or assigning them sets no prototype', () => {
    const merged = mergeParams({}, JSON.parse('{"user":{"__proto__":{"admin":true},"name":"n"},"list":[{"__proto__":{"x":1}}]}'));
    const user = Object.assign({}, merged.user as object) as Record<string, unknown>;
    expect(user.admin).toBeUndefined();
    expect(Object.keys(user)).toEqual(['name']);
    const item = Object.assign({}, (merged.list as object[])[0]) as Record<string, unknown>;
    expect(item.x).toBeUndefined();
  });
});
