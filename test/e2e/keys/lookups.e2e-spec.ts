import { UsersService } from '../../../src/identity/users.service';
import { Key } from '../../../src/identity/entities/key.entity';
import { User } from '../../../src/identity/entities/user.entity';
import { Namespace } from '../../../src/namespaces/entities/namespace.entity';
import { itRejectsWithoutShellJwt, itRequiresAdmin } from '../../helpers/auth-examples';
import { addMember, addUserKey, createAdmin, createGroup, createPat, createUser, newSshPublicKey } from '../../helpers/factories';
import { preparedStatementsExpected, statementsDuring } from '../../helpers/statements';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { addDeployKey, blobOf, ecdsaKeyLine, keyWithPlusAndSlash, shell } from './fixtures';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('Keys lookups: /authorized_keys, /authorized_certs, /discover and group SSH certificates', () => {
  let t: TestApp;
  let admin: { headers: Record<string, string> };
  let userToken: string;
  let grp: Namespace;
  let sub: Namespace;
  let alice: User;
  let mia: User;
  let eve: User;
  let kAlice: Key;
  let dkRo: Key;
  let dkNone: Key;
  let caLine: string;
  let caFingerprint: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createAdmin(t);
    grp = await createGroup(t, 'grp', { visibility: 20 });
    sub = await createGroup(t, 'sub', { parent: grp });
    alice = await t.get<UsersService>(UsersService).create({
      username: 'alice',
      name: 'Alice Example',
      email: 'alice@example.com',
      enterpriseGroupId: grp.id,
      identity: { provider: 'kerberos', externUid: 'alice@EXAMPLE.COM' },
    });
    mia = await createUser(t, 'mia');
    eve = await createUser(t, 'eve');
    userToken = await createPat(t, eve);
    await addMember(t, grp, alice, 30);
    await addMember(t, grp, mia, 40);
    kAlice = await addUserKey(t, alice, { key: keyWithPlusAndSlash('alice@laptop') });
    dkRo = await addDeployKey(t, mia, 'DKro');
    dkNone = await addDeployKey(t, null, 'DKnone');
  });
  afterAll(() => t.close());

  const authorizedKeys = (query: string) => t.http().get(`/api/v4/internal/authorized_keys${query}`).set(shell());
  const keyNotFound = (res: { status: number; body: unknown; headers: Record<string, string> }) => {
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ message: '404 Key Not Found' });
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  };

  describe('GET /authorized_keys', () => {
    it('#74 finds the key by its blob: escaped, unpadded, and with + unescaped; exact body and key order', async () => {
      const blob = blobOf(kAlice.key);
      const expected = {
        id: Number(kAlice.id),
        title: 'alice key',
        created_at: new Date(kAlice.created_at).toISOString(),
        expires_at: null,
        key: `ssh-ed25519 ${blob} Alice Example (gitlab.test)`,
        usage_type: 'auth_and_signing',
      };
      for (const query of [`?key=${encodeURIComponent(blob)}`, `?key=${encodeURIComponent(blob.replace(/=+$/, ''))}`, `?key=${blob}`]) {
        const res = await authorizedKeys(query);
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(res.body).toEqual(expected);
        expect(Object.keys(res.body)).toEqual(['id', 'title', 'created_at', 'expires_at', 'key', 'usage_type']);
        expect(res.body.created_at).toMatch(ISO_MS);
      }
      expect(blob).toContain('+');
    });

    it('#74 a padded blob (%3D) and its unpadded form find the same key; expires_at is an ISO timestamp', async () => {
      const line = ecdsaKeyLine('ci@host');
      const blob = blobOf(line);
      expect(blob).toMatch(/=$/);
      const key = await addUserKey(t, mia, { key: line, usageType: 'auth', expiresAt: new Date('2030-01-02T03:04:05.678Z') });
      for (const query of [`?key=${encodeURIComponent(blob)}`, `?key=${blob.replace(/=+$/, '')}`]) {
        const res = await authorizedKeys(query);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({
          id: Number(key.id),
          title: 'mia key',
          created_at: expect.stringMatching(ISO_MS),
          expires_at: '2030-01-02T03:04:05.678Z',
          key: `ecdsa-sha2-nistp256 ${blob} Mia Example (gitlab.test)`,
          usage_type: 'auth',
        });
      }
    });

    it('#75 truncated blob, junk, no key, empty key → 404 Key Not Found', async () => {
      const blob = blobOf(kAlice.key);
      keyNotFound(await authorizedKeys(`?key=${encodeURIComponent(blob.slice(0, -3))}`));
      keyNotFound(await authorizedKeys('?key=whatever!'));
      keyNotFound(await authorizedKeys(''));
      keyNotFound(await authorizedKeys('?key='));
      keyNotFound(await authorizedKeys('?key[]=x'));
      keyNotFound(await authorizedKeys('?key[a]=x'));
    });

    it('#75 a signing-only key is invisible', async () => {
      const signing = await addUserKey(t, alice, { usageType: 'signing' });
      keyNotFound(await authorizedKeys(`?key=${encodeURIComponent(blobOf(signing.key))}`));
    });

    it('#75 deploy keys qualify: the comment names the creator, or only the host without one', async () => {
      const ro = await authorizedKeys(`?key=${encodeURIComponent(blobOf(dkRo.key))}`);
      expect(ro.status).toBe(200);
      expect(ro.body.id).toBe(Number(dkRo.id));
      expect(ro.body.key).toBe(`ssh-ed25519 ${blobOf(dkRo.key)} Mia Example (gitlab.test)`);
      const none = await authorizedKeys(`?key=${encodeURIComponent(blobOf(dkNone.key))}`);
      expect(none.status).toBe(200);
      expect(none.body.key).toBe(`ssh-ed25519 ${blobOf(dkNone.key)} (gitlab.test)`);
    });

    it('answers with one SQL round trip, a prepared statement on PostgreSQL', async () => {
      const query = `?key=${encodeURIComponent(blobOf(kAlice.key))}`;
      await authorizedKeys(query);
      let status = 0;
      const statements = await statementsDuring(async () => {
        status = (await authorizedKeys(query)).status;
      });
      expect(status).toBe(200);
      expect(statements).toHaveLength(1);
      expect(!!statements[0].name).toBe(preparedStatementsExpected());
    });

    it('accepts a GET with Content-Type: application/json and no body, or no Content-Type', async () => {
      const res = await t
        .http()
        .get(`/api/v4/internal/authorized_keys?key=${encodeURIComponent(blobOf(kAlice.key))}`)
        .set(shell())
        .send();
      expect(res.status).toBe(200);
      const bare = await t
        .http()
        .get(`/api/v4/internal/authorized_keys/?key=${encodeURIComponent(blobOf(kAlice.key))}`)
        .set('Gitlab-Shell-Api-Request', shell()['Gitlab-Shell-Api-Request']);
      expect(bare.status).toBe(200);
    });

    itRejectsWithoutShellJwt(() => t, 'get', '/api/v4/internal/authorized_keys?key=AAAA');
  });

  describe('group SSH certificates (admin) and GET /authorized_certs', () => {
    const certs = (query: string) => t.http().get(`/api/v4/internal/authorized_certs${query}`).set(shell());

    beforeAll(async () => {
      caLine = newSshPublicKey('ca@corp');
      const res = await t
        .http()
        .post(`/api/v4/groups/${grp.id}/ssh_certificates`)
        .set(admin.headers)
        .send({ title: 'Corp CA', key: caLine });
      expect(res.status).toBe(201);
      const blob = blobOf(caLine);
      caFingerprint = (await import('../../../src/identity/ssh-key')).sha256Fingerprint(Buffer.from(blob, 'base64'));
    });

    it('POST /groups/:id/ssh_certificates answers 201 with id, title, key, created_at', async () => {
      const line = newSshPublicKey('other-ca');
      const res = await t.http().post('/api/v4/groups/grp/ssh_certificates').set(admin.headers).send({ title: 'Other', key: line });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body)).toEqual(['id', 'title', 'key', 'created_at']);
      expect(res.body).toEqual({ id: expect.any(Number), title: 'Other', key: line, created_at: expect.stringMatching(ISO_MS) });
      const row = await t.dataSource.query(`SELECT namespace_id, fingerprint FROM group_ssh_certificates WHERE id = $1`, [res.body.id]);
      expect(Number(row[0].namespace_id)).toBe(Number(grp.id));
      expect(row[0].fingerprint).toHaveLength(43);
      const del = await t.http().delete(`/api/v4/groups/${grp.id}/ssh_certificates/${res.body.id}`).set(admin.headers);
      expect(del.status).toBe(204);
      expect(await t.dataSource.query(`SELECT 1 FROM group_ssh_certificates WHERE id = $1`, [res.body.id])).toEqual([]);
      const again = await t.http().delete(`/api/v4/groups/${grp.id}/ssh_certificates/${res.body.id}`).set(admin.headers);
      expect(again.status).toBe(404);
      expect(again.body).toEqual({ message: 'SSH Certificate not found' });
    });

    it('rejects a subgroup, an invalid key, a taken fingerprint, missing parameters and an unknown group', async () => {
      const subgroup = await t
        .http()
        .post(`/api/v4/groups/${encodeURIComponent('grp/sub')}/ssh_certificates`)
        .set(admin.headers)
        .send({ title: 'x', key: newSshPublicKey() });
      expect(subgroup.status).toBe(400);
      expect(subgroup.body).toEqual({ message: '400 Bad request - Group must be a top-level group' });
      const invalid = await t
        .http()
        .post(`/api/v4/groups/${grp.id}/ssh_certificates`)
        .set(admin.headers)
        .send({ title: 'x', key: 'ssh-ed25519 AAAAnope' });
      expect(invalid.status).toBe(400);
      expect(invalid.body).toEqual({ message: { key: ['is invalid'] } });
      const taken = await t.http().post(`/api/v4/groups/${grp.id}/ssh_certificates`).set(admin.headers).send({ title: 'dup', key: caLine });
      expect(taken.status).toBe(400);
      expect(taken.body).toEqual({ message: { fingerprint: ['has already been taken'] } });
      const missing = await t.http().post(`/api/v4/groups/${grp.id}/ssh_certificates`).set(admin.headers).send({});
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({ error: 'title is missing, key is missing' });
      for (const id of ['999999', 'nope', '99999999999999999999999']) {
        const unknown = await t
          .http()
          .post(`/api/v4/groups/${id}/ssh_certificates`)
          .set(admin.headers)
          .send({ title: 'x', key: newSshPublicKey() });
        expect(unknown.status).toBe(404);
        expect(unknown.body).toEqual({ message: '404 Group Not Found' });
      }
      const unknownCert = await t.http().delete(`/api/v4/groups/${grp.id}/ssh_certificates/abc`).set(admin.headers);
      expect(unknownCert.status).toBe(404);
      expect(unknownCert.body).toEqual({ message: 'SSH Certificate not found' });
      expect(Number(sub.parent_id)).toBe(Number(grp.id));
    });

    itRequiresAdmin(
      () => t,
      'post',
      '/api/v4/groups/1/ssh_certificates',
      () => userToken,
      { title: 'x', key: 'y' },
    );

    it('#76 an enterprise member named by username, or by email with SHA256: → 200', async () => {
      const res = await certs(`?key=${encodeURIComponent(caFingerprint)}&user_identifier=alice`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true, namespace: 'grp', username: 'alice' });
      expect(Object.keys(res.body)).toEqual(['success', 'namespace', 'username']);
      const byEmail = await certs(`?key=${encodeURIComponent(`SHA256:${caFingerprint}`)}&user_identifier=ALICE%40example.com`);
      expect(byEmail.status).toBe(200);
      expect(byEmail.body).toEqual({ success: true, namespace: 'grp', username: 'alice' });
    });

    it('#76 unknown fingerprint (or none) → 404 Certificate Not Found', async () => {
      for (const query of ['?key=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&user_identifier=alice', '?user_identifier=alice']) {
        const res = await certs(query);
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ message: 'Certificate Not Found' });
      }
    });

    it('#76 a user without a counting membership in the group → 404 User Not Found', async () => {
      const subOnly = await createUser(t, 'subby', { enterpriseGroupId: grp.id });
      await addMember(t, sub, subOnly, 30);
      const awaiting = await createUser(t, 'waiter', { enterpriseGroupId: grp.id });
      await addMember(t, grp, awaiting, 30, { state: 1 });
      for (const who of ['eve', 'nobody', 'subby', 'waiter', '']) {
        const res = await certs(`?key=${encodeURIComponent(caFingerprint)}&user_identifier=${who}`);
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ message: 'User Not Found' });
      }
      expect(eve.username).toBe('eve');
    });

    it('#76 a membership expiring today does not count (404); one expiring tomorrow does (200)', async () => {
      const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
      const expiring = await createUser(t, 'expiring', { enterpriseGroupId: grp.id });
      await addMember(t, grp, expiring, 30, { expiresAt: day(0) });
      const today = await certs(`?key=${encodeURIComponent(caFingerprint)}&user_identifier=expiring`);
      expect({ status: today.status, body: today.body }).toEqual({ status: 404, body: { message: 'User Not Found' } });
      await t.dataSource.query(`UPDATE members SET expires_at = $2 WHERE user_id = $1`, [expiring.id, day(1)]);
      const tomorrow = await certs(`?key=${encodeURIComponent(caFingerprint)}&user_identifier=expiring`);
      expect({ status: tomorrow.status, body: tomorrow.body }).toEqual({ status: 200, body: { success: true, namespace: 'grp', username: 'expiring' } });
    });

    it('#76 a member who is not an enterprise user of the group → 403', async () => {
      const res = await certs(`?key=${encodeURIComponent(caFingerprint)}&user_identifier=mia`);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ message: 'Not an Enterprise User of the group' });
    });

    itRejectsWithoutShellJwt(() => t, 'get', '/api/v4/internal/authorized_certs?key=x&user_identifier=alice');
  });

  describe('GET /discover', () => {
    const discover = (query: string) => t.http().get(`/api/v4/internal/discover${query}`).set(shell());
    const aliceBody = () => ({ id: Number(alice.id), username: 'alice', name: 'Alice Example' });

    it('#77 finds alice by key, case-insensitive username and Kerberos principal', async () => {
      for (const query of [
        `?key_id=${kAlice.id}`,
        '?username=ALICE',
        `?krb5principal=${encodeURIComponent('alice@EXAMPLE.COM')}`,
        `?user_id=${alice.id}`,
      ]) {
        const res = await discover(query);
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(res.body).toEqual(aliceBody());
        expect(Object.keys(res.body)).toEqual(['id', 'username', 'name']);
      }
    });

    it('#77 a deploy key resolves to its creator', async () => {
      const res = await discover(`?key_id=${dkRo.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ id: Number(mia.id), username: 'mia', name: 'Mia Example' });
    });

    it('#77 nobody → 200 with the literal body null and a JSON content type', async () => {
      const signing = await addUserKey(t, alice, { usageType: 'signing' });
      for (const query of [
        '?username=nobody',
        `?key_id=${dkNone.id}`,
        '',
        `?key_id=${signing.id}`,
        '?key_id=999999',
        '?key_id=abc',
        '?user_id=0',
        '?krb5principal=ALICE@EXAMPLE.COM',
      ]) {
        const res = await discover(query);
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(res.text).toBe('null');
      }
    });

    it('a NUL byte in any text parameter matches nothing (never a 5xx)', async () => {
      for (const query of ['?username=alice%00', '?krb5principal=a%00b']) {
        const res = await discover(query);
        expect(res.status).toBe(200);
        expect(res.text).toBe('null');
      }
      const certs = (query: string) => t.http().get(`/api/v4/internal/authorized_certs${query}`).set(shell());
      expect((await certs('?key=%00&user_identifier=alice')).body).toEqual({ message: 'Certificate Not Found' });
      expect((await certs(`?key=${encodeURIComponent(caFingerprint)}&user_identifier=alice%00`)).body).toEqual({
        message: 'User Not Found',
      });
      const title = await t
        .http()
        .post(`/api/v4/groups/${grp.id}/ssh_certificates`)
        .set(admin.headers)
        .send({ title: 'a\u0000b', key: newSshPublicKey() });
      expect(title.status).toBe(400);
      expect(title.body).toEqual({ message: { title: ['is invalid'] } });
      const key = await t
        .http()
        .post(`/api/v4/groups/${grp.id}/ssh_certificates`)
        .set(admin.headers)
        .send({ title: 't', key: `${newSshPublicKey('x')}\u0000` });
      expect(key.status).toBe(400);
      expect(key.body).toEqual({ message: { key: ['is invalid'] } });
      keyNotFound(await authorizedKeys('?key=%00'));
    });

    itRejectsWithoutShellJwt(() => t, 'get', '/api/v4/internal/discover?username=alice');
  });
});

describe('GET /authorized_certs with SSH_CERTIFICATES_ENABLED=false', () => {
  it('#76 → 403 Feature is not available', async () => {
    // the feature switch alone decides; this short-lived app needs no Redis (in-process counters and jobs)
    const t = await createTestApp({ SSH_CERTIFICATES_ENABLED: 'false', REDIS_URL: undefined });
    try {
      const res = await t.http().get('/api/v4/internal/authorized_certs?key=abc&user_identifier=alice').set(shell());
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ message: 'Feature is not available' });
    } finally {
      await t.close();
    }
  });
});
