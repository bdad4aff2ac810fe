import { ApiError } from './api-error';
import { assertStorableParams, firstUnstorableParam, isStorableJson, isStorableText, isUnstorableString } from './storable-text';

describe('storable text guard', () => {
  it.each([
    ['plain', 'refs/heads/main', true],
    ['non-ASCII', 'ünïcødé-☃-𝔘', true],
    ['replacement character', 'a\uFFFDb', true],
    ['NUL', 'refs/heads/a\u0000b', false],
    ['lone high surrogate', 'a\uD800', false],
    ['lone low surrogate', '\uDC00a', false],
    ['reversed pair', '\uDC00\uD800', false],
  ])('%s', (_name, text, storable) => {
    expect(isStorableText(text)).toBe(storable);
    expect(isUnstorableString(text)).toBe(!storable);
  });

  it('only strings are unstorable strings', () => {
    expect(isUnstorableString(undefined)).toBe(false);
    expect(isUnstorableString(0)).toBe(false);
    expect(isUnstorableString({ a: '\u0000' })).toBe(false);
  });

  it('walks JSON values, keys included', () => {
    expect(isStorableJson({ a: ['x', { b: 'y' }], n: 1, z: null })).toBe(true);
    expect(isStorableJson({ a: ['x', { b: 'y\u0000' }] })).toBe(false);
    expect(isStorableJson({ ['k\u0000']: 1 })).toBe(false);
    let deep: unknown = 'x';
    for (let i = 0; i < 250; i++) deep = [deep];
    expect(isStorableJson(deep)).toBe(false);
  });

  it('names the first unstorable parameter and rejects it with a GitLab-shaped 400', () => {
    expect(firstUnstorableParam({ a: 'ok', changes: 'x\u0000', b: '\u0000' })).toBe('changes');
    expect(firstUnstorableParam({ push_options: ['ci.skip', 'x\uD800'] })).toBe('push_options');
    expect(firstUnstorableParam({ a: 'ok' })).toBeNull();
    expect(() => assertStorableParams({ a: 'ok' })).not.toThrow();
    let error: unknown;
    try {
      assertStorableParams({ changes: 'x\u0000' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    expect((error as ApiError).body).toEqual({ message: '400 Bad request - changes contains a NUL character or invalid UTF-8' });
  });
});
