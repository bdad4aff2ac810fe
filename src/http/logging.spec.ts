import { isSecretParam, redactUrl } from './logging';

describe('log redaction (common.md §3)', () => {
  it.each(['secret_token', 'private_token', 'access_token', 'error_tracking_token', 'password', 'otp_attempt', 'key', 'access_key', 'public_key', 'credit_card_holder_name', 'secret'])(
    '%s is secret',
    (name) => expect(isSecretParam(name)).toBe(true),
  );
  it.each(['key_id', 'user_id', 'project', 'changes', 'action', 'username'])('%s is not', (name) => expect(isSecretParam(name)).toBe(false));

  it('filters secret query values inside URLs and keeps the rest', () => {
    expect(redactUrl('/api/v4/internal/authorized_keys?key=AAAAC3Nz&x=1')).toBe('/api/v4/internal/authorized_keys?key=[FILTERED]&x=1');
    expect(redactUrl('/check?secret_token=s3cr3t')).toBe('/check?secret_token=[FILTERED]');
    expect(redactUrl('/x?private_token=glpat-abc&scopes[]=api')).toBe('/x?private_token=[FILTERED]&scopes[]=api');
    expect(redactUrl('/plain')).toBe('/plain');
  });
});
