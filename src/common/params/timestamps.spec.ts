import { ApiError } from '../api-error';
import { IsoDate, Optional, readParams, Timestamp } from '.';

class Dates {
  @Optional(IsoDate, { null: 'value' }) expires_on?: string | null;
  @Optional(Timestamp, { null: 'value' }) starts_at?: Date | null;
}

const errorOf = (source: unknown): unknown => {
  try {
    readParams(Dates, source);
  } catch (err) {
    return (err as ApiError).body;
  }
  throw new Error('no error');
};

describe('IsoDate and Timestamp', () => {
  it('read calendar dates, keeping the date part of a date-time', () => {
    expect(readParams(Dates, { expires_on: ' 2027-01-31 ' }).expires_on).toBe('2027-01-31');
    expect(readParams(Dates, { expires_on: '2027-01-31T10:00:00Z' }).expires_on).toBe('2027-01-31');
    expect(errorOf({ expires_on: '2027-02-30' })).toEqual({ error: 'expires_on is invalid' });
    expect(errorOf({ expires_on: 20270131 })).toEqual({ error: 'expires_on is invalid' });
  });

  it('read timestamps with or without seconds and zone, and dates as midnight UTC', () => {
    expect(readParams(Dates, { starts_at: '2099-01-01' }).starts_at).toEqual(new Date('2099-01-01T00:00:00.000Z'));
    expect(readParams(Dates, { starts_at: '2099-01-01 10:30+02:00' }).starts_at).toEqual(new Date('2099-01-01T08:30:00.000Z'));
    expect(readParams(Dates, { starts_at: '2099-01-01T10:30:15.5Z' }).starts_at).toEqual(new Date('2099-01-01T10:30:15.500Z'));
    expect(errorOf({ starts_at: 'soon', expires_on: 'later' })).toEqual({ error: 'expires_on is invalid, starts_at is invalid' });
    expect(errorOf({ starts_at: '2099-13-01T00:00' })).toEqual({ error: 'starts_at is invalid' });
  });

  it('count an empty string as an explicit null where the field accepts null', () => {
    expect({ ...readParams(Dates, { expires_on: '', starts_at: null }) }).toEqual({ expires_on: null, starts_at: null });
  });
});
