import { itRejectsWithoutShellJwt } from '../../helpers/auth-examples';
import { ApplicationSettingsService } from '../../../src/settings/application-settings.service';
import { Key } from '../../../src/identity/entities/key.entity';
import { Project } from '../../../src/namespaces/entities/project.entity';
import { buildFixtures, expectDenied, Fixtures, hookBody, NF, post, pullBody, pushBody, A, B, Z, J } from './fixtures';
import { hashedDiskPath } from '../../../src/namespaces/hashed-storage';
import { addMember, addUserKey, createUser } from '../../helpers/factories';
import { preparedStatementsExpected, statementsDuring } from '../../helpers/statements';

describe('POST /api/v4/internal/allowed', () => {
  let f: Fixtures;
  beforeAll(async () => {
    f = await buildFixtures();
  });
  afterAll(() => f.close());

  const settings = () => f.t.get<ApplicationSettingsService>(ApplicationSettingsService);
  const allowed = (body: object) => post(f.t, '/allowed', body);
  const setKey = (key: Key, changes: Partial<Key>) => f.t.dataSource.getRepository(Key).update(key.id, changes);
  const setProject = (p: Project, changes: Partial<Project>) => f.t.dataSource.getRepository(Project).update(p.id, changes);

  function expectedPrivBody() {
    const p = f.priv;
    return {
      status: true,
      gl_repository: `project-${p.id}`,
      gl_project_path: 'grp/priv',
      gl_project_id: Number(p.id),
      gl_root_namespace_id: Number(f.grp.id),
      gl_id: `user-${f.users.alice.id}`,
      gl_username: 'alice',
      git_config_options: ['uploadpack.allowFilter=true', 'uploadpack.allowAnySHA1InWant=true'],
      gitaly: {
        repository: {
          storage_name: 'default',
          relative_path: `${hashedDiskPath(p.id)}.git`,
          git_object_directory: '',
          git_alternate_object_directories: [],
          gl_repository: `project-${p.id}`,
          gl_project_path: 'grp/priv',
        },
        address: 'tcp://gitaly.test:8075',
        token: 'gt',
        features: {},
      },
      gl_console_messages: [],
      need_audit: false,
      gl_key_type: 'key',
      gl_key_id: Number(f.keys.alice.id),
    };
  }

  describe('successes', () => {
    it('#13 PULL(priv,Kalice) answers the exact body in key order', async () => {
      const res = await allowed({ ...pullBody(f.priv, f.keys.alice), check_ip: '203.0.113.9' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.body).toEqual(expectedPrivBody());
      expect(Object.keys(res.body)).toEqual(Object.keys(expectedPrivBody()));
      expect(Object.keys(res.body.gitaly.repository)).toEqual(Object.keys(expectedPrivBody().gitaly.repository));
      expect(res.body).not.toHaveProperty('message');
      expect(typeof res.body.gl_key_id).toBe('number');
    });

    it('#14 the same body for /grp/priv, a numeric key_id, extra fields and a form body', async () => {
      const expected = expectedPrivBody();
      const bodies = [
        { ...pullBody(f.priv, f.keys.alice), project: '/grp/priv' },
        { ...pullBody(f.priv, f.keys.alice), key_id: f.keys.alice.id },
        { ...pullBody(f.priv, f.keys.alice), namespace_path: 'grp', foo: { x: 1 } },
      ];
      for (const body of bodies) {
        const res = await allowed(body);
        expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: expected });
      }
      const form = await f.t
        .http()
        .post('/api/v4/internal/allowed')
        .set(J())
        .type('form')
        .send(`action=git-upload-pack&project=grp%2Fpriv.git&changes=_any&protocol=ssh&key_id=${f.keys.alice.id}`);
      expect({ status: form.status, body: form.body }).toEqual({ status: 200, body: expected });
    });

    it('#12 a trailing slash answers the same 200 without a redirect', async () => {
      const res = await f.t.http().post('/api/v4/internal/allowed/').set(J()).send(pullBody(f.priv, f.keys.alice)).redirects(0);
      expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: expectedPrivBody() });
    });

    it('#15 relative_path is the hashed disk path of the project id', async () => {
      expect(`${hashedDiskPath(3)}.git`).toBe('@hashed/4e/07/4e07408562bedb8b60ce05c1decfe3ad16b72230967de01f640b7e4729b49fce.git');
      const res = await allowed(pullBody(f.apriv, f.keys.alice)); // alice owns her personal namespace
      expect(res.status).toBe(200);
      expect(res.body.gitaly.repository.relative_path).toBe(`${hashedDiskPath(f.apriv.id)}.git`);
      expect(res.body.gl_root_namespace_id).toBe(Number(f.apriv.namespace_id));
    });

    it('#16 receive_max_input_size adds receive.maxInputSize; three identical answers', async () => {
      await settings().update({ receive_max_input_size: 1 });
      try {
        const bodies = [];
        for (let i = 0; i < 3; i++) {
          const res = await allowed(pushBody(f.priv, f.keys.alice));
          expect(res.status).toBe(200);
          bodies.push(res.body);
        }
        expect(bodies[1]).toEqual(bodies[0]);
        expect(bodies[2]).toEqual(bodies[0]);
        expect(bodies[0].git_config_options).toEqual(['uploadpack.allowFilter=true', 'uploadpack.allowAnySHA1InWant=true', 'receive.maxInputSize=1048576']);
      } finally {
        await settings().update({ receive_max_input_size: null });
      }
    });

    it('#17 a key expiring within 7 days gets the console warning', async () => {
      await setKey(f.keys.alice, { expires_at: new Date(Date.now() + 2 * 86400_000) });
      try {
        const res = await allowed(pullBody(f.priv, f.keys.alice));
        expect(res.status).toBe(200);
        expect(res.body.gl_console_messages).toEqual(['INFO: Your SSH key is expiring soon. Please generate a new key.']);
      } finally {
        await setKey(f.keys.alice, { expires_at: null });
      }
    });

    it('#18 username (case-insensitive) and krb5principal actors', async () => {
      await f.t.dataSource.query(`INSERT INTO identities (user_id, provider, extern_uid) VALUES ($1, 'kerberos', 'alice@EXAMPLE.COM')`, [f.users.alice.id]);
      const base = { action: 'git-receive-pack', project: 'grp/priv.git', changes: '_any', protocol: 'ssh' };
      for (const body of [
        { ...base, username: 'ALICE', namespace_path: 'grp' },
        { ...base, krb5principal: 'alice@EXAMPLE.COM' },
      ]) {
        const res = await allowed(body);
        expect(res.status).toBe(200);
        expect(res.body.gl_id).toBe(`user-${f.users.alice.id}`);
        expect(res.body.gl_username).toBe('alice');
        expect(res.body).not.toHaveProperty('gl_key_type');
        expect(res.body).not.toHaveProperty('gl_key_id');
      }
    });

    it('#19 a deploy key answers its creator and deploy_key type', async () => {
      const res = await allowed(pullBody(f.priv, f.dk.ro));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ gl_key_type: 'deploy_key', gl_key_id: Number(f.dk.ro.id), gl_id: `user-${f.users.mia.id}`, gl_username: 'mia' });
    });

    it('#20 anonymous pulls of a public project (no actor, key_id 0, key_id beyond bigint)', async () => {
      const base = { action: 'git-upload-pack', project: 'grp/pub.git', changes: '_any', protocol: 'ssh' };
      for (const body of [base, { ...base, key_id: '0' }, { ...base, key_id: '99999999999999999999' }]) {
        const res = await allowed(body);
        expect(res.status).toBe(200);
        expect(res.body.gl_id).toBe('');
        for (const k of ['gl_username', 'gl_key_type', 'gl_key_id']) expect(res.body).not.toHaveProperty(k);
      }
    });

    it('#21 HOOK over http with push options: quarantine directories from env', async () => {
      const res = await allowed({ ...hookBody(f.priv, f.users.alice, `${A} ${B} refs/heads/feature\n`, 'http'), push_options: ['ci.skip'] });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe(true);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body.gitaly.repository.git_object_directory).toBe('objects/incoming-x');
      expect(res.body.gitaly.repository.git_alternate_object_directories).toEqual(['objects']);
    });

    it('#22 protocol web passes the protocol setting', async () => {
      await settings().update({ enabled_git_access_protocol: 'ssh' });
      try {
        const res = await allowed(hookBody(f.priv, f.users.alice, `${A} ${B} refs/heads/feature\n`, 'web'));
        expect(res.status).toBe(200);
      } finally {
        await settings().update({ enabled_git_access_protocol: null });
      }
    });

    it('#23 an admin who is not a member may push', async () => {
      const res = await allowed(pushBody(f.priv, f.keys.root));
      expect(res.status).toBe(200);
    });

    it('#24 pushing to a new path in the own namespace creates a private project', async () => {
      const res = await allowed(pushBody({ full_path: 'alice/newproj' }, f.keys.alice));
      expect(res.status).toBe(200);
      expect(res.body.status).toBe(true);
      expect(res.body.gl_project_path).toBe('alice/newproj');
      const rows = await f.t.dataSource.query(`SELECT visibility_level, creator_id, default_branch FROM projects WHERE full_path = 'alice/newproj'`);
      expect(rows).toEqual([{ visibility_level: 0, creator_id: Number(f.users.alice.id), default_branch: null }]);
    });

    it('G7 in a group: the creator becomes Maintainer when below it; concurrent pushes create one project', async () => {
      const results = await Promise.all([0, 1, 2].map(() => allowed(pushBody({ full_path: 'grp/racy' }, f.keys.alice))));
      for (const res of results) expect(res.status).toBe(200);
      expect(new Set(results.map((r) => r.body.gl_project_id)).size).toBe(1);
      const members = await f.t.dataSource.query(
        `SELECT m.access_level FROM members m JOIN projects p ON p.id = m.source_id AND m.source_type = 'Project' WHERE p.full_path = 'grp/racy' AND m.user_id = $1`,
        [f.users.alice.id],
      );
      expect(members).toEqual([{ access_level: 40 }]);
    });
  });

  describe('denials', () => {
    it('#25 a Guest cannot download', async () => {
      expectDenied(await allowed(pullBody(f.priv, f.keys.bob)), 401, 'You are not allowed to download code from this project.');
    });

    it('#26 a Reporter cannot push (_any and real changes)', async () => {
      expectDenied(await allowed(pushBody(f.priv, f.keys.rita)), 401, 'You are not allowed to push code to this project.');
      expectDenied(await allowed(hookBody(f.priv, f.users.rita, `${A} ${B} refs/heads/feature\n`)), 401, 'You are not allowed to push code to this project.');
    });

    it('#27 no access, awaiting, minimal access, deploy key elsewhere, key 0, signing-only key → 404', async () => {
      for (const body of [
        pullBody(f.priv, f.keys.eve),
        pullBody(f.priv, f.keys.pat),
        pullBody(f.priv, f.keys.mina),
        pullBody(f.priv, f.dk.none),
        pullBody(f.priv, '0'),
      ]) {
        expectDenied(await allowed(body), 404, NF);
      }
      await setKey(f.keys.alice, { usage_type: 'signing' });
      try {
        expectDenied(await allowed(pullBody(f.priv, f.keys.alice)), 404, NF);
      } finally {
        await setKey(f.keys.alice, { usage_type: 'auth_and_signing' });
      }
    });

    it('#28 internal projects: any non-external user pulls, nobody else', async () => {
      expect((await allowed(pullBody(f.int, f.keys.eve))).status).toBe(200);
      expectDenied(await allowed(pushBody(f.int, f.keys.eve)), 401, 'You are not allowed to push code to this project.');
      expectDenied(await allowed(pullBody(f.int, f.keys.xena)), 404, NF);
      expectDenied(await allowed(pullBody(f.int)), 404, NF);
    });

    it('#29 anonymous push', async () => {
      expectDenied(await allowed(pushBody(f.pub)), 401, 'You are not allowed to upload code for this project.');
    });

    it('#30 an expired key', async () => {
      await setKey(f.keys.alice, { expires_at: new Date(Date.now() - 86400_000) });
      try {
        expectDenied(await allowed(pullBody(f.priv, f.keys.alice)), 401, 'Your SSH key has expired.');
      } finally {
        await setKey(f.keys.alice, { expires_at: null });
      }
    });

    it('#31 #32 blocked, ldap_blocked, deactivated, pending approval', async () => {
      const cases: [string, string][] = [
        ['blocked', 'Your account has been blocked.'],
        ['ldap_blocked', 'Your account has been blocked.'],
        ['deactivated', 'Your account has been deactivated by your administrator. Please log back in from a web browser to reactivate your account at http://gitlab.test'],
        ['blocked_pending_approval', 'Your account is pending approval from your administrator and hence blocked.'],
      ];
      try {
        for (const [state, message] of cases) {
          await f.t.dataSource.query(`UPDATE users SET state = $2 WHERE id = $1`, [f.users.alice.id, state]);
          expectDenied(await allowed(pullBody(f.apriv, f.keys.alice)), 401, message);
        }
      } finally {
        await f.t.dataSource.query(`UPDATE users SET state = 'active' WHERE id = $1`, [f.users.alice.id]);
      }
    });

    it('#33 #34 protocol restrictions of the instance and the root namespace', async () => {
      try {
        await settings().update({ enabled_git_access_protocol: 'http' });
        expectDenied(await allowed(pullBody(f.priv, f.keys.alice)), 401, 'Git access over SSH is not allowed');
        await settings().update({ enabled_git_access_protocol: 'ssh' });
        expectDenied(await allowed(hookBody(f.priv, f.users.alice, `${A} ${B} refs/heads/f\n`, 'http')), 401, 'Git access over HTTP is not allowed');
        await settings().update({ enabled_git_access_protocol: null });
        await f.t.dataSource.query(`UPDATE namespaces SET enabled_git_access_protocol = 'ssh' WHERE id = $1`, [f.grp.id]);
        expectDenied(await allowed(hookBody(f.priv, f.users.alice, `${A} ${B} refs/heads/f\n`, 'http')), 401, 'Git access over HTTP is not allowed');
      } finally {
        await settings().update({ enabled_git_access_protocol: null });
        await f.t.dataSource.query(`UPDATE namespaces SET enabled_git_access_protocol = NULL WHERE id = $1`, [f.grp.id]);
      }
    });

    it('#35 unknown or missing command', async () => {
      expectDenied(await allowed({ ...pullBody(f.priv, f.keys.alice), action: 'git-foo' }), 401, "The command you're trying to execute is not allowed.");
      const { action: _action, ...withoutAction } = pullBody(f.priv, f.keys.alice);
      expectDenied(await allowed(withoutAction), 401, "The command you're trying to execute is not allowed.");
    });

    it('#36 a certificate of another namespace', async () => {
      const other = await f.t.dataSource.query(`SELECT count(*)::int AS n FROM namespaces WHERE full_path = 'other'`);
      if (other[0].n === 0) {
        const { createGroup } = await import('../../helpers/factories');
        await createGroup(f.t, 'other');
      }
      expectDenied(await allowed({ ...pushBody(f.priv, f.keys.alice), namespace_path: 'other' }), 401, 'You are not allowed to access projects in this namespace.');
    });

    it('#37 a path without namespace, or no repository at all', async () => {
      expectDenied(await allowed(pullBody({ full_path: 'lonely' }, f.keys.alice)), 404, 'The namespace you were looking for could not be found.');
      expectDenied(await allowed({ action: 'git-upload-pack', changes: '_any', protocol: 'ssh', key_id: String(f.keys.alice.id) }), 404, 'The namespace you were looking for could not be found.');
    });

    it('#38 an invalid new project path → 422, nothing created', async () => {
      const res = await allowed(pushBody({ full_path: 'alice/cannot_end_with_dot.' }, f.keys.alice));
      expectDenied(res, 422, 'Could not create project: Path must not start or end with a special character and must not contain consecutive special characters.');
      expect(await f.t.dataSource.query(`SELECT id FROM projects WHERE full_path LIKE 'alice/cannot%'`)).toEqual([]);
    });

    it('#39 no auto-creation without a namespace, a right, or for wikis, snippets and pulls', async () => {
      const before = await f.t.dataSource.query(`SELECT count(*)::int AS n FROM projects`);
      for (const body of [
        pushBody({ full_path: 'nogroup/new' }, f.keys.alice),
        pushBody({ full_path: 'grp/new' }, f.keys.eve),
        pushBody({ full_path: 'grp/priv.wiki' }, f.keys.alice),
        pushBody({ full_path: 'snippets/1' }, f.keys.alice),
        pullBody({ full_path: 'grp/nothere' }, f.keys.alice),
      ]) {
        expectDenied(await allowed(body), 404, NF);
      }
      expect(await f.t.dataSource.query(`SELECT count(*)::int AS n FROM projects`)).toEqual(before);
    });

    it('#41 gitaly_client_context_bin', async () => {
      const base = pullBody(f.priv, f.keys.alice);
      const bad = await allowed({ ...base, gitaly_client_context_bin: 'bm90IGpzb24=' });
      expect({ status: bad.status, body: bad.body }).toEqual({ status: 400, body: { message: '400 Bad request - malformed gitaly_client_context_bin' } });
      const arr = await allowed({ ...base, gitaly_client_context_bin: Buffer.from('[1]').toString('base64') });
      expect({ status: arr.status, body: arr.body }).toEqual({
        status: 400,
        body: { message: '400 Bad request - Decoded gitaly_client_context_bin is not a valid JSON object' },
      });
      expect((await allowed({ ...base, gitaly_client_context_bin: Buffer.from('{"k":"v"}').toString('base64') })).status).toBe(200);
      expect((await allowed({ ...base, gitaly_client_context_bin: null })).status).toBe(200);
    });

    it('#42 a malformed or unknown gl_repository', async () => {
      const bad = await allowed({ ...pullBody(f.priv, f.keys.alice), gl_repository: 'project-foo' });
      expect({ status: bad.status, body: bad.body }).toEqual({ status: 400, body: { message: '400 Bad request - Invalid GL Repository "project-foo"' } });
      expectDenied(await allowed({ ...pullBody(f.priv, f.keys.alice), gl_repository: 'project-999999' }), 404, NF);
    });

    it('#43 the operation limit per minute answers 429 with a string message', async () => {
      await settings().update({ gitlab_shell_operation_limit: 2 });
      try {
        const body = { ...pullBody(f.pub, f.keys.bob) };
        expect((await allowed(body)).status).toBe(200);
        expect((await allowed(body)).status).toBe(200);
        const third = await allowed(body);
        expect({ status: third.status, body: third.body }).toEqual({
          status: 429,
          body: { message: 'This endpoint has been requested too many times. Try again later.' },
        });
        expect(third.headers['retry-after']).toBeUndefined();
      } finally {
        await settings().update({ gitlab_shell_operation_limit: 600 });
      }
    });

    it('#44 archived projects: pulls pass, pushes fail (anonymous too)', async () => {
      expect((await allowed(pullBody(f.arch, f.keys.alice))).status).toBe(200);
      expectDenied(await allowed(pushBody(f.arch, f.keys.alice)), 401, "You can't push code to an archived project.");
      await setProject(f.pub, { archived: true });
      try {
        expectDenied(await allowed(pushBody(f.pub)), 401, "You can't push code to an archived project.");
      } finally {
        await setProject(f.pub, { archived: false });
      }
    });

    it('#45 a read-only repository', async () => {
      await setProject(f.priv, { repository_read_only: true });
      try {
        expectDenied(await allowed(pushBody(f.priv, f.keys.alice)), 401, 'The repository is temporarily read-only. Please try again later.');
      } finally {
        await setProject(f.priv, { repository_read_only: false });
      }
    });

    it('#46 a disabled or members-only repository', async () => {
      try {
        await setProject(f.pub, { repository_access_level: 0 });
        expectDenied(await allowed(pullBody(f.pub, f.keys.eve)), 401, 'You are not allowed to download code from this project.');
        expectDenied(await allowed(pullBody(f.pub, f.keys.root)), 401, 'You are not allowed to download code from this project.');
        await setProject(f.pub, { repository_access_level: 10 });
        expectDenied(await allowed(pullBody(f.pub, f.keys.eve)), 401, 'You are not allowed to download code from this project.');
      } finally {
        await setProject(f.pub, { repository_access_level: 20 });
      }
    });

    it('#47 read-only and foreign deploy keys cannot push', async () => {
      expectDenied(await allowed(pushBody(f.priv, f.dk.ro)), 401, 'This deploy key does not have write access to this project.');
      expectDenied(await allowed(pushBody(f.pub, f.dk.none)), 401, 'This deploy key does not have write access to this project.');
    });
  });

  describe('membership expiry (a membership counts only while expires_at is null or later than today, UTC)', () => {
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const setExpiry = (sourceType: string, sourceId: number, userId: number, expiresAt: string) =>
      f.t.dataSource.query(`UPDATE members SET expires_at = $4 WHERE source_type = $1 AND source_id = $2 AND user_id = $3`, [sourceType, sourceId, userId, expiresAt]);

    it('a project membership expiring today gives no access; one expiring tomorrow does', async () => {
      const u = await createUser(f.t, 'expiring-proj');
      const k = await addUserKey(f.t, u);
      await addMember(f.t, f.priv, u, 20, { expiresAt: day(0) });
      expectDenied(await allowed(pullBody(f.priv, k)), 404, NF);
      await setExpiry('Project', f.priv.id, u.id, day(1));
      expect((await allowed(pullBody(f.priv, k))).status).toBe(200);
      await setExpiry('Project', f.priv.id, u.id, day(-1));
      expectDenied(await allowed(pullBody(f.priv, k)), 404, NF);
    });

    it('a group membership expiring today gives no access to the group\'s projects; one expiring tomorrow does', async () => {
      const u = await createUser(f.t, 'expiring-grp');
      const k = await addUserKey(f.t, u);
      await addMember(f.t, f.grp, u, 30, { expiresAt: day(0) });
      expectDenied(await allowed(pullBody(f.priv, k)), 404, NF);
      expectDenied(await allowed(pushBody({ full_path: 'grp/expiring-new' }, k)), 404, NF);
      await setExpiry('Namespace', f.grp.id, u.id, day(1));
      expect((await allowed(pullBody(f.priv, k))).status).toBe(200);
      expect((await allowed(pushBody(f.priv, k))).status).toBe(200);
    });
  });

  describe('hot path', () => {
    it('a pull by a group member takes at most 3 SQL round trips, each a prepared statement on PostgreSQL', async () => {
      await allowed(pullBody(f.priv, f.keys.alice)); // key last-used tracking done: not part of the steady state
      let status = 0;
      const statements = await statementsDuring(async () => {
        status = (await allowed(pullBody(f.priv, f.keys.alice))).status;
      });
      expect(status).toBe(200);
      expect(statements.length).toBeLessThanOrEqual(3);
      expect(statements.length).toBeGreaterThan(0);
      // named on PostgreSQL (planned once per connection); unnamed on the embedded database
      expect(statements.every((s) => !!s.name)).toBe(preparedStatementsExpected());
    });

    it('a push of a branch by key or by user takes at most 5 SQL round trips, each prepared on PostgreSQL', async () => {
      for (const actor of [{ key: f.keys.alice }, f.users.alice]) {
        const body = hookBody(f.priv, actor, `${A} ${B} refs/heads/feature\n`);
        await allowed(body);
        let status = 0;
        const statements = await statementsDuring(async () => {
          status = (await allowed(body)).status;
        });
        expect(status).toBe(200);
        expect(statements.length).toBeGreaterThan(0);
        expect(statements.length).toBeLessThanOrEqual(5);
        expect(statements.every((s) => !!s.name)).toBe(preparedStatementsExpected());
        // the branch rules are read; the tag rules, which no line touches, are not
        expect(statements.filter((s) => /\bprotected_branches\b/.test(s.text))).toHaveLength(1);
        expect(statements.filter((s) => /\bprotected_tags\b/.test(s.text))).toHaveLength(0);
      }
    });

    it('a push of a tag reads the tag rules and not the branch rules', async () => {
      const body = hookBody(f.priv, f.users.alice, `${Z} ${B} refs/tags/build-1\n`);
      await allowed(body);
      let res: { status: number; body: unknown } = { status: 0, body: null };
      const statements = await statementsDuring(async () => {
        res = await allowed(body);
      });
      expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: expect.objectContaining({ status: true }) });
      expect(statements.filter((s) => /\bprotected_tags\b/.test(s.text))).toHaveLength(1);
      expect(statements.filter((s) => /\bprotected_branches\b/.test(s.text))).toHaveLength(0);
    });
  });

  describe('transport and robustness', () => {
    it('#12 a 20 000-line change list through HOOK(pub, alice) is accepted (no 413)', async () => {
      const changes = Array.from({ length: 20_000 }, (_, i) => `${A} ${B} refs/heads/topic-${i}\n`).join('');
      expect(changes.length).toBeGreaterThan(1_600_000);
      const res = await allowed(hookBody(f.pub, f.users.alice, changes));
      expect(res.status).toBe(200);
      expect(res.body.status).toBe(true);
    });

    it('#12 broken JSON → 400 Invalid JSON body', async () => {
      const res = await f.t.http().post('/api/v4/internal/allowed').set(J()).set('Content-Type', 'application/json').send('{');
      expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: { message: '400 Bad request - Invalid JSON body' } });
    });

    it('bad input never answers 5xx', async () => {
      const bodies: object[] = [
        { action: ['x'], project: { a: 1 }, key_id: true, changes: 5 },
        { action: 'git-receive-pack', project: 'grp/priv.git', changes: 'garbage\n\n  \n', user_id: '-1', env: '{not json' },
        { action: 'git-receive-pack', gl_repository: 'project-99999999999999999999', changes: '_any' },
        { action: 'git-upload-pack', relative_path: '../../etc/passwd', project: '/x/@hashed/zz', protocol: 5 },
        { action: 'git-receive-pack', project: 'grp/priv.git', key_id: String(f.keys.mia.id), changes: `${A} ${B} refs/tags/\n${'x'.repeat(70)} ${B} refs/heads/y\n` },
      ];
      for (const body of bodies) expect((await allowed(body)).status).toBeLessThan(500);
    });

    it('401 without the shell JWT, before anything else', async () => {
      const res = await f.t.http().post('/api/v4/internal/allowed').send({ ...pullBody(f.priv, f.keys.alice), gl_repository: 'project-foo' });
      expect({ status: res.status, body: res.body }).toEqual({ status: 401, body: { message: '401 Unauthorized' } });
    });

    it('#11 GET on the POST-only route is the catch-all 404, before authentication', async () => {
      const res = await f.t.http().get('/api/v4/internal/allowed');
      expect({ status: res.status, body: res.body }).toEqual({ status: 404, body: { error: '404 Not Found' } });
    });

    it('counts denials by reason in the Prometheus metrics', async () => {
      await allowed(pullBody(f.priv, f.keys.bob));
      const metrics = await f.t.http().get('/-/metrics');
      expect(metrics.text).toMatch(/gitlab_internal_allowed_denied_total\{reason="G12"\} [1-9]/);
    });
  });

  itRejectsWithoutShellJwt(() => f.t, 'post', '/api/v4/internal/allowed', { action: 'git-upload-pack', project: 'grp/pub.git', changes: '_any' });
});
