import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { SECURITY } from '../../../src/auth/security-schemes';
import { credentialsForEveryScheme } from '../../helpers/credentials';
import { createGroup } from '../../helpers/factories';
import { kasJwt, SHELL_SECRET, shellJwt } from '../../helpers/jwt';
import { createTestApp, LogCapture, TestApp } from '../../helpers/test-app';

const ERROR_TRACKING_TOKEN = `et-${randomBytes(12).toString('hex')}`;

interface Sent {
  kind: string;
  requestId: string;
  secrets: string[];
  status: number;
}

/**
 * Every credential kind the product accepts (and the ones clients send although the product ignores them) is
 * sent at INFO level to a route that reads it; the log output then contains none of the secret values, while it
 * does contain a line for every one of those requests.
 */
describe('credentials never appear in the logs', () => {
  const logs = new LogCapture();
  let t: TestApp;
  const sent: Sent[] = [];
  let seq = 0;

  beforeAll(async () => {
    t = await createTestApp({ LOG_LEVEL: 'info', LEGACY_SHARED_SECRET_AUTH: 'true', ERROR_TRACKING_TOKEN }, { logStream: logs });
  });
  afterAll(() => t.close());

  const http = () => request(t.app.getHttpServer());
  const unique = (prefix: string) => `${prefix}${randomBytes(16).toString('hex')}`;

  /** Sends one request, remembering which secret values it carried and under which request id. */
  async function send(kind: string, secrets: string[], build: (id: string) => request.Test): Promise<number> {
    const requestId = `redaction-${++seq}-${randomBytes(4).toString('hex')}`;
    const res = await build(requestId).set('X-Request-Id', requestId);
    sent.push({ kind, requestId, secrets, status: res.status });
    return res.status;
  }

  it('sends every credential kind to a route that accepts it', async () => {
    const creds = await credentialsForEveryScheme(t);
    const adminToken = creds[SECURITY.admin].headers()['PRIVATE-TOKEN'];
    const userToken = creds[SECURITY.user].headers()['PRIVATE-TOKEN'];
    const bearerOf = (scheme: string) => creds[scheme].headers().Authorization.replace(/^Bearer /, '');
    const agentToken = bearerOf(SECURITY.kasAgent);
    const scimToken = bearerOf(SECURITY.scimInstance);
    const scimGroupToken = bearerOf(SECURITY.scimGroup);
    const group = await createGroup(t, 'redactgrp');
    const subscription = `/api/v4/namespaces/${group.id}/gitlab_subscription`;
    const shell = shellJwt();
    const kas = kasJwt();
    const sharedSecret = Buffer.from(SHELL_SECRET).toString('base64');

    // personal access tokens: header, Bearer, query parameter (admin and user routes)
    expect(await send('PRIVATE-TOKEN', [adminToken], (id) => http().get(`/api/v4/users?x=${id}`).set('PRIVATE-TOKEN', adminToken))).toBe(200);
    expect(await send('Authorization: Bearer <pat>', [adminToken], () => http().get('/api/v4/users').set('Authorization', `Bearer ${adminToken}`))).toBe(200);
    expect(await send('private_token=', [adminToken], () => http().get(`/api/v4/users?private_token=${adminToken}`))).toBe(200);
    expect(await send('user private_token=', [userToken], () => http().get(`/api/v4/internal/gitlab_subscriptions/namespaces/${group.id}?private_token=${userToken}&scopes[]=api`))).toBeLessThan(500);
    // the shell JWT, the legacy shared secret (header and parameter)
    expect(await send('Gitlab-Shell-Api-Request', [shell, shell.split('.')[2]], () => http().get('/api/v4/internal/check').set('Gitlab-Shell-Api-Request', shell))).toBe(200);
    expect(await send('Gitlab-Shared-Secret', [sharedSecret], () => http().get('/api/v4/internal/check').set('Gitlab-Shared-Secret', sharedSecret))).toBe(200);
    expect(await send('secret_token=', [SHELL_SECRET], () => http().get(`/api/v4/internal/check?secret_token=${SHELL_SECRET}`))).toBe(200);
    // kas: the kas JWT, the agent token as Bearer and as Gitlab-Agentk-Api-Request
    expect(await send('Gitlab-Kas-Api-Request + Bearer agent token', [kas, kas.split('.')[2], agentToken], () =>
      http().get('/api/v4/internal/kubernetes/agent_info').set('Gitlab-Kas-Api-Request', kas).set('Authorization', `Bearer ${agentToken}`),
    )).toBe(200);
    expect(await send('Gitlab-Agentk-Api-Request', [agentToken], () =>
      http().get('/api/v4/internal/kubernetes/agent_info').set('Gitlab-Kas-Api-Request', kasJwt()).set('Gitlab-Agentk-Api-Request', agentToken),
    )).toBe(200);
    const pat = adminToken;
    expect(await send('access_key (kas authorize_proxy_user)', [pat], () =>
      http().post(`/api/v4/internal/kubernetes/authorize_proxy_user?access_key=${pat}`).set('Gitlab-Kas-Api-Request', kasJwt()).send({ agent_id: 1, access_type: 'personal_access_token', access_key: pat }),
    )).toBeLessThan(500);
    // SCIM tokens: Bearer and access_token=
    expect(await send('SCIM Bearer', [scimToken], () => http().get('/api/scim/v2/application/Users').set('Authorization', `Bearer ${scimToken}`))).toBe(200);
    expect(await send('SCIM access_token=', [scimGroupToken], () => http().get(`/api/scim/v2/groups/redactgrp/Users?access_token=${scimGroupToken}`))).toBeLessThan(500);
    // error tracking: header and parameter
    expect(await send('Gitlab-Error-Tracking-Token', [ERROR_TRACKING_TOKEN], () =>
      http().post('/api/v4/internal/error_tracking/allowed').set('Gitlab-Error-Tracking-Token', ERROR_TRACKING_TOKEN).send({ project_id: 1, public_key: 'pk' }),
    )).toBe(200);
    expect(await send('error_tracking_token=', [ERROR_TRACKING_TOKEN], () =>
      http().post(`/api/v4/internal/error_tracking/allowed?error_tracking_token=${ERROR_TRACKING_TOKEN}&project_id=1&public_key=pk`),
    )).toBe(200);
    // parameters that carry secrets on shell routes: key, otp_attempt, and a password on the admin API
    const sshKey = unique('AAAAC3NzaC1lZDI1NTE5AAAAI');
    expect(await send('key=', [sshKey], () => http().get(`/api/v4/internal/authorized_keys?key=${sshKey}`).set('Gitlab-Shell-Api-Request', shellJwt()))).toBe(404);
    const otp = String(100000 + (randomBytes(3).readUIntBE(0, 3) % 900000));
    expect(await send('otp_attempt', [`otp_attempt=${otp}`], () =>
      http().post(`/api/v4/internal/two_factor_manual_otp_check?otp_attempt=${otp}`).set('Gitlab-Shell-Api-Request', shellJwt()).send({ key_id: 1, otp_attempt: otp }),
    )).toBe(200);
    const password = unique('pw-');
    expect(await send('password', [password], () =>
      http().post(`/api/v4/users?password=${password}`).set('PRIVATE-TOKEN', adminToken).type('form').send({ email: 'redact@example.com', name: 'Redact', username: 'redact', password }),
    )).toBe(201);
    // headers some clients send although the product reads none of them (the billing doc's TOKEN: header, CI
    // job tokens, proxies, webhooks, browsers)
    const extra: Record<string, string> = {
      TOKEN: unique('glpat-token-'),
      'X-Gitlab-Token': unique('webhook-'),
      'Proxy-Authorization': `Basic ${unique('proxy')}`,
      'Job-Token': unique('glcbt-'),
      Cookie: `_gitlab_session=${unique('s')}; remember_user_token=${unique('r')}`,
      'X-Api-Key': unique('k-'),
      'X-Auth-Token': unique('a-'),
      'Gitlab-Workhorse-Api-Request': unique('w-'),
    };
    for (const [name, value] of Object.entries(extra)) {
      const secrets = name === 'Cookie' ? value.split('; ').map((c) => c.split('=')[1]) : [value.replace(/^Basic /, '')];
      expect(await send(name, secrets, () => http().post(subscription).set('PRIVATE-TOKEN', adminToken).set(name, value).send({ start_date: '2020-01-01' }))).toBeLessThan(500);
    }
    expect(await send('TOKEN alone', [extra.TOKEN], () => http().post(subscription).set('TOKEN', extra.TOKEN).send({ start_date: '2020-01-01' }))).toBe(401);
  });

  it('logged a line for each request and none of the secret values', async () => {
    const lines = logs.lines();
    for (const s of sent) {
      const own = lines.filter((line) => JSON.stringify(line).includes(s.requestId));
      expect({ kind: s.kind, logged: own.length > 0 }).toEqual({ kind: s.kind, logged: true });
    }
    const output = logs.output;
    for (const s of sent) {
      for (const secret of s.secrets) {
        for (const form of new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])) {
          expect({ kind: s.kind, leaked: output.includes(form) }).toEqual({ kind: s.kind, leaked: false });
        }
      }
    }
    // the redacted request lines still say what was asked
    const checkId = sent.find((s) => s.kind === 'secret_token=')!.requestId;
    const check = lines.filter((line) => JSON.stringify(line).includes(checkId));
    expect(JSON.stringify(check)).toContain('/api/v4/internal/check?secret_token=[FILTERED]');
  });
});
