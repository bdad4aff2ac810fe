import { isSecretHeader, isSecretParam, redactHeaders, redactUrl, serializeError } from './logging';

describe('log redaction', () => {
  it.each(['secret_token', 'private_token', 'access_token', 'error_tracking_token', 'password', 'otp_attempt', 'key', 'access_key', 'public_key', 'credit_card_holder_name', 'secret', 'client_secret', 'new_password'])(
    '%s is secret',
    (name) => expect(isSecretParam(name)).toBe(true),
  );
  it.each(['key_id', 'user_id', 'project', 'changes', 'action', 'username'])('%s is not', (name) => expect(isSecretParam(name)).toBe(false));

  it.each([
    'Authorization',
    'Proxy-Authorization',
    'PRIVATE-TOKEN',
    'TOKEN',
    'Job-Token',
    'X-Gitlab-Token',
    'Cookie',
    'Gitlab-Shell-Api-Request',
    'Gitlab-Kas-Api-Request',
    'Gitlab-Agentk-Api-Request',
    'Gitlab-Shared-Secret',
    'Gitlab-Error-Tracking-Token',
    'X-Sentry-Auth',
    'X-Api-Key',
  ])('header %s is secret', (name) => expect(isSecretHeader(name)).toBe(true));
  it.each(['Content-Type', 'X-Request-Id', 'Host', 'Accept', 'Connection', 'Keep-Alive', 'User-Agent'])('header %s is not', (name) => expect(isSecretHeader(name)).toBe(false));

  it('filters secret query values inside URLs and keeps the rest', () => {
    expect(redactUrl('/api/v4/internal/authorized_keys?key=AAAAC3Nz&x=1')).toBe('/api/v4/internal/authorized_keys?key=[FILTERED]&x=1');
    expect(redactUrl('/check?secret_token=s3cr3t')).toBe('/check?secret_token=[FILTERED]');
    expect(redactUrl('/x?private_token=glpat-abc&scopes[]=api')).toBe('/x?private_token=[FILTERED]&scopes[]=api');
    expect(redactUrl('/x?user[password]=p&a%5Fkey=k')).toBe('/x?user[password]=[FILTERED]&a%5Fkey=[FILTERED]');
    expect(redactUrl('/plain')).toBe('/plain');
  });

  it('filters credential headers and secret parameters of URL-valued headers', () => {
    expect(
      redactHeaders({
        authorization: 'Bearer abc',
        'content-type': 'application/json',
        link: '<http://h/api/v4/users?page=2&private_token=glpat-x>; rel="next", <http://h/api/v4/users?page=1>; rel="first"',
        location: 'http://h/x?access_token=t&y=1',
      }),
    ).toEqual({
      authorization: '[FILTERED]',
      'content-type': 'application/json',
      link: '<http://h/api/v4/users?page=2&private_token=[FILTERED]>; rel="next", <http://h/api/v4/users?page=1>; rel="first"',
      location: 'http://h/x?access_token=[FILTERED]&y=1',
    });
  });

  it('logs a database error without its bound parameter values', () => {
    const err = Object.assign(new Error('duplicate key'), { query: 'INSERT INTO t VALUES ($1)', parameters: ['glpat-secret'], driverError: { code: '23505', parameters: ['glpat-secret'] } });
    const logged = JSON.stringify(serializeError(err));
    expect(logged).toContain('INSERT INTO t');
    expect(logged).toContain('23505');
    expect(logged).not.toContain('glpat-secret');
  });
});
