import { createHash } from 'node:crypto';
import { Key } from '../../../src/identity/entities/key.entity';
import { User } from '../../../src/identity/entities/user.entity';
import { OtpSecretCipher } from '../../../src/keys/otp-secret-cipher';
import { timeStep, totpCode } from '../../../src/keys/totp';
import { ApplicationSettingsService } from '../../../src/settings/application-settings.service';
import { itRejectsWithoutShellJwt, itRequiresAdmin } from '../../helpers/auth-examples';
import { addUserKey, createAdmin, createPat, createUser } from '../../helpers/factories';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { addDeployKey, expectR, shell } from './fixtures';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/** `today + days` (UTC) as YYYY-MM-DD. */
function inDays(days: number): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days)).toISOString().slice(0, 10);
}

describe('2FA and personal access tokens over SSH', () => {
  let t: TestApp;
  let admin: { headers: Record<string, string> };
  let userToken: string;
  let alice: User;
  let bob: User;
  let carl: User;
  let kAlice: Key;
  let kBob: Key;
  let kCarl: Key;
  let dkRo: Key;
  let dkNone: Key;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createAdmin(t);
    alice = await createUser(t, 'alice');
    bob = await createUser(t, 'bob');
    carl = await createUser(t, 'carl');
    const mia = await createUser(t, 'mia');
    userToken = await createPat(t, bob);
    kAlice = await addUserKey(t, alice);
    kBob = await addUserKey(t, bob);
    kCarl = await addUserKey(t, carl);
    dkRo = await addDeployKey(t, mia, 'DKro');
    dkNone = await addDeployKey(t, null, 'DKnone');
    for (const user of [alice, carl]) {
      const res = await t.http().post(`/api/v4/users/${user.id}/two_factor`).set(admin.headers).send({ otp_secret: SECRET });
      expect(res.status).toBe(201);
    }
  });
  afterAll(() => t.close());

  const post = (path: string, body: object | string) => t.http().post(`/api/v4/internal/${path}`).set(shell()).send(body);
  const form = (path: string, body: string) =>
    t.http().post(`/api/v4/internal/${path}`).set('Gitlab-Shell-Api-Request', shell()['Gitlab-Shell-Api-Request']).type('form').send(body);
  const digestsOf = async (user: User): Promise<string[]> =>
    (await t.dataSource.query(`SELECT otp_backup_code_digests AS d FROM user_two_factor WHERE user_id = $1`, [user.id]))[0].d;
  const userRow = async (user: User) =>
    (await t.dataSource.query(`SELECT failed_attempts, locked_at FROM users WHERE id = $1`, [user.id]))[0];

  describe('admin: POST /users/:id/two_factor and PATCH /users/:id/disable_two_factor', () => {
    it('enables with a generated secret, stored encrypted, and disables', async () => {
      const dora = await createUser(t, 'dora');
      const res = await t.http().post(`/api/v4/users/${dora.id}/two_factor`).set(admin.headers).send({});
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ otp_secret: expect.stringMatching(/^[A-Z2-7]{32}$/) });
      const [row] = await t.dataSource.query(
        `SELECT otp_secret_encrypted, otp_backup_code_digests, consumed_timestep FROM user_two_factor WHERE user_id = $1`,
        [dora.id],
      );
      expect(row.otp_secret_encrypted).not.toContain(res.body.otp_secret);
      expect(new OtpSecretCipher(t.config.dbKeyBase).decrypt(row.otp_secret_encrypted)).toBe(res.body.otp_secret);
      expect(row.otp_backup_code_digests).toEqual([]);
      expect(row.consumed_timestep).toBeNull();
      const off = await t.http().patch(`/api/v4/users/${dora.id}/disable_two_factor`).set(admin.headers);
      expect(off.status).toBe(204);
      expect(await t.dataSource.query(`SELECT 1 FROM user_two_factor WHERE user_id = $1`, [dora.id])).toEqual([]);
      const again = await t.http().patch(`/api/v4/users/${dora.id}/disable_two_factor`).set(admin.headers);
      expect(again.status).toBe(400);
      expect(again.body).toEqual({ message: '400 Bad request - Two-factor authentication is not enabled for this user' });
    });

    it('re-enabling replaces the secret, the recovery codes and the consumed step', async () => {
      const erin = await createUser(t, 'erin');
      await t.http().post(`/api/v4/users/${erin.id}/two_factor`).set(admin.headers).send({ otp_secret: SECRET });
      await t.dataSource.query(`UPDATE user_two_factor SET otp_backup_code_digests = '["x"]', consumed_timestep = 5 WHERE user_id = $1`, [
        erin.id,
      ]);
      const res = await t.http().post(`/api/v4/users/${erin.id}/two_factor`).set(admin.headers).send({ otp_secret: 'GEZDGNBVGY3TQOJQ' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ otp_secret: 'GEZDGNBVGY3TQOJQ' });
      const [row] = await t.dataSource.query(`SELECT otp_backup_code_digests, consumed_timestep FROM user_two_factor WHERE user_id = $1`, [
        erin.id,
      ]);
      expect(row).toEqual({ otp_backup_code_digests: [], consumed_timestep: null });
    });

    it('rejects an invalid secret and an unknown user', async () => {
      for (const otp_secret of [
        'short',
        'abcdefghijklmnopqrstu',
        'A1B2C3D4E5F6G7H8',
        'A'.repeat(65),
        '',
        12345678901234567,
        ['JBSWY3DPEHPK3PXP'],
      ]) {
        const res = await t.http().post(`/api/v4/users/${bob.id}/two_factor`).set(admin.headers).send({ otp_secret });
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ error: 'otp_secret is invalid' });
      }
      expect(await t.dataSource.query(`SELECT 1 FROM user_two_factor WHERE user_id = $1`, [bob.id])).toEqual([]);
      for (const id of ['999999', 'abc', '99999999999999999999999']) {
        const res = await t.http().post(`/api/v4/users/${id}/two_factor`).set(admin.headers).send({});
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ message: '404 User Not Found' });
        const off = await t.http().patch(`/api/v4/users/${id}/disable_two_factor`).set(admin.headers);
        expect(off.status).toBe(404);
        expect(off.body).toEqual({ message: '404 User Not Found' });
      }
    });

    itRequiresAdmin(
      () => t,
      'post',
      '/api/v4/users/1/two_factor',
      () => userToken,
    );
    itRequiresAdmin(
      () => t,
      'patch',
      '/api/v4/users/1/disable_two_factor',
      () => userToken,
    );
  });

  describe('POST /two_factor_recovery_codes', () => {
    it('#78 answers 10 distinct hex codes, replaces them on each call and stores only digests', async () => {
      const first = await post('two_factor_recovery_codes', { key_id: String(kAlice.id) });
      expect(first.status).toBe(200);
      expect(Object.keys(first.body)).toEqual(['success', 'recovery_codes']);
      expect(first.body.success).toBe(true);
      const codes: string[] = first.body.recovery_codes;
      expect(codes).toHaveLength(10);
      expect(new Set(codes).size).toBe(10);
      for (const code of codes) expect(code).toMatch(/^[0-9a-f]{16}$/);
      expect(await digestsOf(alice)).toEqual(codes.map(sha256));

      const second = await post('two_factor_recovery_codes', { key_id: String(kAlice.id) });
      expect(second.status).toBe(200);
      const again: string[] = second.body.recovery_codes;
      expect(again).toHaveLength(10);
      for (const code of again) expect(codes).not.toContain(code);
      const stored = await digestsOf(alice);
      expect(stored).toEqual(again.map(sha256));
      expect(JSON.stringify(stored)).not.toContain(again[0]);
    });

    it('#11 GET on the POST-only route → catch-all 404, codes unchanged', async () => {
      const before = await digestsOf(alice);
      const res = await t.http().get(`/api/v4/internal/two_factor_recovery_codes?key_id=${kAlice.id}`).set(shell());
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: '404 Not Found' });
      expect(await digestsOf(alice)).toEqual(before);
    });

    it('#79 actor and 2FA failures, each 200 success:false', async () => {
      expectR(await post('two_factor_recovery_codes', { key_id: '999999' }), 'Could not find the given key');
      expectR(await post('two_factor_recovery_codes', { key_id: String(dkNone.id) }), 'Could not find a user for the given key');
      expectR(await post('two_factor_recovery_codes', { user_id: 0 }), 'Could not find the given user');
      expectR(await post('two_factor_recovery_codes', { user_id: Number(alice.id) }), 'Could not find the given key');
      expectR(
        await post('two_factor_recovery_codes', { key_id: String(dkRo.id) }),
        'Deploy keys cannot be used to retrieve recovery codes',
      );
      const noTwoFactor = await post('two_factor_recovery_codes', { key_id: String(kBob.id) });
      expectR(noTwoFactor, 'Two-factor authentication is not enabled for this user');
      expect(noTwoFactor.body).not.toHaveProperty('recovery_codes');
      expectR(await form('two_factor_recovery_codes', `key_id=${kBob.id}`), 'Two-factor authentication is not enabled for this user');
      expectR(await post('two_factor_recovery_codes', {}), 'Could not find the given key');
      expectR(await post('two_factor_recovery_codes', { key_id: 'abc', user_id: 'x' }), 'Could not find the given user');
    });

    it('tracks the key’s last use', async () => {
      const fresh = await addUserKey(t, bob);
      await post('two_factor_recovery_codes', { key_id: String(fresh.id) });
      const [row] = await t.dataSource.query(`SELECT last_used_at FROM keys WHERE id = $1`, [fresh.id]);
      expect(row.last_used_at).not.toBeNull();
    });

    itRejectsWithoutShellJwt(() => t, 'post', '/api/v4/internal/two_factor_recovery_codes', { key_id: '1' });
  });

  describe('POST /two_factor_manual_otp_check', () => {
    // The app runs in this process: pin the clock in the middle of a time step so step boundaries cannot flake.
    let step: number;
    beforeEach(() => {
      step = timeStep(Date.now() / 1000);
      jest.spyOn(Date, 'now').mockReturnValue((step * 30 + 15) * 1000);
    });
    afterEach(() => jest.restoreAllMocks());

    const check = (key: Key, otp_attempt: string) => post('two_factor_manual_otp_check', { key_id: String(key.id), otp_attempt });

    it('#84 accepts T−1 then T, refuses a replay, T−2 and a wrong code; each failure counts', async () => {
      const ok1 = await check(kAlice, totpCode(SECRET, step - 1));
      expect(ok1.status).toBe(200);
      expect(ok1.body).toEqual({ success: true });
      expect((await check(kAlice, totpCode(SECRET, step))).body).toEqual({ success: true });
      const [row] = await t.dataSource.query(`SELECT consumed_timestep FROM user_two_factor WHERE user_id = $1`, [alice.id]);
      expect(Number(row.consumed_timestep)).toBe(step);
      const before = (await userRow(alice)).failed_attempts;
      expectR(await check(kAlice, totpCode(SECRET, step)), 'Invalid OTP');
      expectR(await check(kAlice, totpCode(SECRET, step - 2)), 'Invalid OTP');
      const wrong = totpCode(SECRET, step + 1) === '000000' ? '000001' : '000000';
      expectR(await check(kAlice, wrong), 'Invalid OTP');
      expect((await userRow(alice)).failed_attempts).toBe(before + 3);
      expectR(await post('two_factor_manual_otp_check', { key_id: String(kAlice.id) }), 'Invalid OTP');
      expectR(await post('two_factor_manual_otp_check', { key_id: String(kAlice.id), otp_attempt: 'abcdef' }), 'Invalid OTP');
      expect((await userRow(alice)).failed_attempts).toBe(before + 5);
    });

    it('#85 deploy key, no 2FA, user_id alone, unknown key, key without user', async () => {
      expectR(
        await post('two_factor_manual_otp_check', { key_id: String(dkRo.id), otp_attempt: '123456' }),
        'Deploy keys cannot be used for Two Factor',
      );
      expectR(await check(kBob, '123456'), 'Two-factor authentication is not enabled for this user');
      expectR(
        await post('two_factor_manual_otp_check', { user_id: Number(alice.id), otp_attempt: '123456' }),
        'Could not find the given key',
      );
      expectR(await post('two_factor_manual_otp_check', { key_id: '999999', otp_attempt: '123456' }), 'Could not find the given key');
      expectR(
        await post('two_factor_manual_otp_check', { key_id: String(dkNone.id), otp_attempt: '123456' }),
        'Could not find a user for the given key',
      );
    });

    it('#86 locks after 10 failures; a valid code is refused until 10 minutes have passed', async () => {
      for (let i = 0; i < 10; i++) expectR(await check(kCarl, '000000' === totpCode(SECRET, step) ? '111111' : '000000'), 'Invalid OTP');
      const locked = await userRow(carl);
      expect(locked.failed_attempts).toBe(10);
      expect(locked.locked_at).not.toBeNull();
      expectR(await check(kCarl, totpCode(SECRET, step)), 'Your account is locked');
      await t.dataSource.query(`UPDATE users SET locked_at = now() - interval '11 minutes' WHERE id = $1`, [carl.id]);
      const ok = await check(kCarl, totpCode(SECRET, step));
      expect(ok.body).toEqual({ success: true });
      expect(await userRow(carl)).toEqual({ failed_attempts: 0, locked_at: null });
    });

    it('two parallel checks of one code: exactly one succeeds; recovery codes are not OTPs', async () => {
      const hank = await createUser(t, 'hank');
      const kHank = await addUserKey(t, hank);
      await t.http().post(`/api/v4/users/${hank.id}/two_factor`).set(admin.headers).send({ otp_secret: SECRET });
      const code = totpCode(SECRET, step);
      const results = await Promise.all([check(kHank, code), check(kHank, code), check(kHank, code)]);
      expect(results.filter((r) => r.body.success === true)).toHaveLength(1);
      for (const r of results.filter((r) => r.body.success !== true)) expect(r.body).toEqual({ success: false, message: 'Invalid OTP' });
      const codes = (await post('two_factor_recovery_codes', { key_id: String(kHank.id) })).body.recovery_codes as string[];
      expectR(await check(kHank, codes[0]), 'Invalid OTP');
    });

    it('#86 a user in a blocked state is locked', async () => {
      const frank = await createUser(t, 'frank', { state: 'blocked' });
      const kFrank = await addUserKey(t, frank);
      await t.http().post(`/api/v4/users/${frank.id}/two_factor`).set(admin.headers).send({ otp_secret: SECRET });
      expectR(await check(kFrank, totpCode(SECRET, step)), 'Your account is locked');
    });

    itRejectsWithoutShellJwt(() => t, 'post', '/api/v4/internal/two_factor_manual_otp_check', { key_id: '1', otp_attempt: '123456' });
  });

  describe('push OTP and two_factor_config', () => {
    it('#87 push OTP is not available; config is always success:false', async () => {
      expectR(await post('two_factor_push_otp_check', { key_id: String(kAlice.id) }), 'Feature is not available');
      const config = await post('two_factor_config', { key_id: String(kAlice.id) });
      expect(config.status).toBe(200);
      expect(config.body).toEqual({ success: false });
    });

    itRejectsWithoutShellJwt(() => t, 'post', '/api/v4/internal/two_factor_push_otp_check', { key_id: '1' });
    itRejectsWithoutShellJwt(() => t, 'post', '/api/v4/internal/two_factor_config', { key_id: '1' });
  });

  describe('POST /personal_access_token', () => {
    const pat = (body: object) => post('personal_access_token', body);
    const key = () => String(kAlice.id);

    it('#80 deploy key, unknown user, missing name and scopes', async () => {
      expectR(
        await pat({ key_id: String(dkRo.id), name: 'x', scopes: ['api'] }),
        'Deploy keys cannot be used to create personal access tokens',
      );
      expectR(
        await pat({ key_id: String(dkNone.id), name: 'x', scopes: ['api'] }),
        'Deploy keys cannot be used to create personal access tokens',
      );
      expectR(await pat({ user_id: 0 }), 'Could not find the given user');
      expectR(await pat({ user_id: Number(alice.id), name: 'x', scopes: ['api'] }), 'Could not find the given key');
      expectR(await pat({ key_id: '999999', name: 'x', scopes: ['api'] }), 'Could not find the given key');
      expectR(await pat({ key_id: key() }), 'No token name specified');
      expectR(await pat({ key_id: key(), name: '   ' }), 'No token name specified');
      expectR(await pat({ key_id: key(), name: 't' }), 'No token scopes specified');
      expectR(await pat({ key_id: key(), name: 't', scopes: null }), 'No token scopes specified');
      expectR(await pat({ key_id: key(), name: 't', scopes: [] }), 'No token scopes specified');
    });

    it('#81 the first invalid scope, and an invalid expiry date', async () => {
      expectR(
        await pat({ key_id: key(), name: 't', scopes: ['read_api', 'badscope', 'sudo'] }),
        `Invalid scope: 'badscope'. Valid scopes are: ["api", "create_runner", "k8s_proxy", "manage_runner", "read_api", "read_registry", "read_repository", "read_user", "self_rotate", "write_registry", "write_repository"]`,
      );
      expectR(
        await pat({ key_id: key(), name: 't', scopes: ['admin_mode'] }),
        expect.stringMatching(/^Invalid scope: 'admin_mode'\. /) as unknown as string,
      );
      expectR(
        await pat({ key_id: key(), name: 't', scopes: ['api'], expires_at: 'invalid-date' }),
        `Invalid token expiry date: 'invalid-date'`,
      );
      expectR(
        await pat({ key_id: key(), name: 't', scopes: ['api'], expires_at: '2026-02-30' }),
        `Invalid token expiry date: '2026-02-30'`,
      );
    });

    it('#82 expiry limit, blocked user, name length', async () => {
      expectR(
        await pat({ key_id: key(), name: 't', scopes: ['api'], expires_at: inDays(366) }),
        `Failed to create token: Expires at must be before ${inDays(365)}`,
      );
      const ok = await pat({ key_id: key(), name: 't', scopes: ['api'], expires_at: inDays(365) });
      expect(ok.body).toEqual({ success: true, token: expect.any(String), scopes: ['api'], expires_at: inDays(365) });
      const gina = await createUser(t, 'gina', { state: 'blocked' });
      const kGina = await addUserKey(t, gina);
      expectR(await pat({ key_id: String(kGina.id), name: 't', scopes: ['api'] }), 'Failed to create token: Not permitted to create');
      expectR(
        await pat({ key_id: key(), name: 'n'.repeat(256), scopes: ['api'] }),
        'Failed to create token: Name is too long (maximum is 255 characters)',
      );
      const past = await pat({ key_id: key(), name: 'old', scopes: ['api'], expires_at: '2020-01-01' });
      expect(past.body).toMatchObject({ success: true, expires_at: '2020-01-01' });
    });

    it('#83 creates a glpat- token (200), stores only its digest, default expiry today+365, form arrays', async () => {
      const res = await pat({ key_id: key(), name: 'ci', scopes: ['read_api', 'read_repository'], expires_at: inDays(30) });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        success: true,
        token: expect.stringMatching(/^glpat-[A-Za-z0-9_-]{20}$/),
        scopes: ['read_api', 'read_repository'],
        expires_at: inDays(30),
      });
      expect(Object.keys(res.body)).toEqual(['success', 'token', 'scopes', 'expires_at']);
      const rows = await t.dataSource.query(
        `SELECT user_id, name, scopes, token_digest, revoked FROM personal_access_tokens WHERE token_digest = $1`,
        [sha256(res.body.token)],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ name: 'ci', scopes: ['read_api', 'read_repository'], revoked: false });
      expect(Number(rows[0].user_id)).toBe(Number(alice.id));

      const noExpiry = await pat({ key_id: key(), name: 'ci', scopes: ['read_api'] });
      expect(noExpiry.body).toMatchObject({ success: true, expires_at: inDays(365) });

      const withTime = await pat({ key_id: key(), name: 'ci', scopes: ['read_api'], expires_at: `${inDays(10)}T12:00:00Z` });
      expect(withTime.body).toMatchObject({ success: true, expires_at: inDays(10) });

      const viaForm = await form('personal_access_token', `key_id=${kAlice.id}&name=ci&scopes[]=read_user&scopes[]=read_repository`);
      expect(viaForm.status).toBe(200);
      expect(viaForm.body).toMatchObject({ success: true, scopes: ['read_user', 'read_repository'] });

      const byUser = await pat({ key_id: key(), user_id: Number(alice.id), name: 'both', scopes: ['api'] });
      expect(byUser.body).toMatchObject({ success: true });
    });

    it('a NUL byte in a name or an actor parameter never reaches the database', async () => {
      expectR(await pat({ key_id: key(), name: 'a\u0000b', scopes: ['api'] }), 'Failed to create token: Name is invalid');
      expectR(await pat({ username: 'alice\u0000', name: 'x', scopes: ['api'] }), 'Could not find the given key');
      expectR(await post('two_factor_recovery_codes', { krb5principal: 'a\u0000' }), 'Could not find the given key');
      expectR(
        await post('two_factor_manual_otp_check', { identifier: 'username-a\u0000', otp_attempt: '123456' }),
        'Could not find the given key',
      );
    });

    it('without require_personal_access_token_expiry: no default expiry and no upper limit', async () => {
      const settings = t.get<ApplicationSettingsService>(ApplicationSettingsService);
      await settings.update({ require_personal_access_token_expiry: false });
      try {
        expect((await pat({ key_id: key(), name: 'free', scopes: ['api'] })).body).toMatchObject({ success: true, expires_at: null });
        expect((await pat({ key_id: key(), name: 'far', scopes: ['api'], expires_at: inDays(1000) })).body).toMatchObject({
          success: true,
          expires_at: inDays(1000),
        });
        expect((await pat({ key_id: key(), name: 'empty', scopes: ['api'], expires_at: '' })).body).toMatchObject({
          success: true,
          expires_at: null,
        });
      } finally {
        await settings.update({ require_personal_access_token_expiry: true });
      }
    });

    itRejectsWithoutShellJwt(() => t, 'post', '/api/v4/internal/personal_access_token', { key_id: '1', name: 'x', scopes: ['api'] });
  });
});
