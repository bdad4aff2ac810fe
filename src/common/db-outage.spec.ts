import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable } from './db-outage';

describe('isDatabaseUnavailable', () => {
  const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

  it.each([
    ['connection refused', withCode('ECONNREFUSED')],
    ['connection reset', withCode('ECONNRESET')],
    ['both addresses refused (AggregateError)', Object.assign(new AggregateError([withCode('ECONNREFUSED')], ''), {})],
    ['administrator shutdown 57P01', withCode('57P01', 'terminating connection due to administrator command')],
    ['starting up 57P03', withCode('57P03', 'the database system is starting up')],
    ['connection failure 08006', withCode('08006')],
    ['too many connections 53300', withCode('53300')],
    ['pg: connection terminated', new Error('Connection terminated unexpectedly')],
    ['pg: connect timeout', new Error('timeout exceeded when trying to connect')],
    ['wrapped by TypeORM', new QueryFailedError('SELECT 1', [], withCode('57P01'))],
  ])('%s → unavailable', (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it.each([
    ['unique violation', withCode('23505')],
    ['invalid byte sequence', withCode('22021')],
    ['syntax error', new QueryFailedError('SELEC 1', [], withCode('42601'))],
    ['a plain error', new Error('boom')],
    ['not an error', 'ECONNREFUSED'],
    ['null', null],
  ])('%s → not an outage', (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });
});
