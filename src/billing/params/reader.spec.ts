import { ParamReader } from './reader';

describe('ParamReader', () => {
  it('collects missing and invalid parameters in declaration order', () => {
    const r = new ParamReader({ seats: 'x', trial: 'maybe', end_date: 'yesterday' });
    r.date('start_date', { required: true });
    r.date('end_date');
    r.int('seats');
    r.bool('trial');
    expect(() => r.check()).toThrow();
    expect(r.errors).toEqual(['start_date is missing', 'end_date is invalid', 'seats is invalid', 'trial is invalid']);
  });

  it('distinguishes absent, null and values; "" counts as null for dates, integers and booleans', () => {
    const r = new ParamReader({ a: null, b: '', c: ' 12 ', d: '1', e: 12, f: '' });
    expect(r.int('a')).toBeNull();
    expect(r.int('b')).toBeNull();
    expect(r.int('c')).toBe(12);
    expect(r.bool('d')).toBe(true);
    expect(r.string('e')).toBe('12');
    expect(r.date('f')).toBeNull();
    expect(r.int('zz')).toBeUndefined();
    expect(r.errors).toEqual([]);
  });

  it('names nested fields with brackets and rejects integers beyond int4', () => {
    const r = new ParamReader({ attrs: { seats: 'many' }, packs: [{ number_of_minutes: 1 }], big: 2 ** 31 });
    r.hash('attrs')?.int('seats');
    r.hashes('packs')?.forEach((p) => p.string('purchase_xid', { required: true }));
    r.int('big');
    expect(r.errors).toEqual(['attrs[seats] is invalid', 'packs[0][purchase_xid] is missing', 'big is invalid']);
  });

  it('reads form-style indexed objects as arrays and rejects non-object elements', () => {
    const ok = new ParamReader({ packs: { '1': { a: 'y' }, '0': { a: 'x' } } });
    expect(ok.hashes('packs')?.map((p) => p.string('a'))).toEqual(['x', 'y']);
    const bad = new ParamReader({ packs: ['x'] });
    expect(bad.hashes('packs')).toBeUndefined();
    expect(bad.errors).toEqual(['packs is invalid']);
  });
});

describe('ParamReader strings', () => {
  it('rejects a NUL character, which PostgreSQL text cannot store', () => {
    const r = new ParamReader({ reason: 'a\u0000b', ok: 'a b' });
    expect(r.string('reason')).toBeUndefined();
    expect(r.string('ok')).toBe('a b');
    expect(r.errors).toEqual(['reason is invalid']);
  });
});
