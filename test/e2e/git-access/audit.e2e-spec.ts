import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MESSAGES } from '../../../src/git-access/messages';
import { buildFixtures, expectDenied, Fixtures, J, NF } from './fixtures';

describe('POST /api/v4/internal/shellhorse/git_audit_event', () => {
  let f: Fixtures;
  beforeAll(async () => {
    f = await buildFixtures();
  });
  afterAll(() => f.close());

  const audit = (body: object, headers: Record<string, string> = J()) =>
    f.t.http().post('/api/v4/internal/shellhorse/git_audit_event').set(headers).set('Content-Type', 'application/json').send(body);
  const first = () => ({
    action: 'git-upload-pack',
    protocol: 'ssh',
    gl_repository: `project-${f.priv.id}`,
    username: 'alice',
    key_id: Number(f.keys.alice.id),
    packfile_stats: { wants: 3 },
    changes: '_any',
    check_ip: '203.0.113.9',
  });

  it('#70 an allowed command needs no audit event', async () => {
    const res = await audit(first());
    expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: { status: false, message: 'No git audit event needed' } });
  });

  it('#70 git-upload-archive is not a valid audit action', async () => {
    const res = await audit({ ...first(), action: 'git-upload-archive' });
    expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: { status: false, message: 'No valid action specified' } });
  });

  it('#70 missing required fields, in order', async () => {
    const { gl_repository: _g, changes: _c, ...rest } = first();
    const res = await audit(rest);
    expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: { error: 'gl_repository is missing, changes is missing' } });
    const none = await audit({});
    expect(none.body).toEqual({ error: 'action is missing, protocol is missing, gl_repository is missing, changes is missing' });
  });

  it('#70 without the shell header: 403 Workhorse; with a bad one: 401', async () => {
    const res = await audit(first(), {});
    expect({ status: res.status, body: res.body }).toEqual({ status: 403, body: { message: '403 Forbidden - Request should be executed via GitLab Workhorse' } });
    const bad = await audit(first(), { 'Gitlab-Shell-Api-Request': 'not.a.jwt' });
    expect({ status: bad.status, body: bad.body }).toEqual({ status: 401, body: { message: '401 Unauthorized' } });
  });

  it('#70 a denied actor answers as /allowed would', async () => {
    expectDenied(await audit({ ...first(), key_id: Number(f.keys.eve.id) }), 404, NF);
    const malformed = await audit({ ...first(), gl_repository: 'project-foo' });
    expect({ status: malformed.status, body: malformed.body }).toEqual({ status: 400, body: { message: '400 Bad request - Invalid GL Repository "project-foo"' } });
  });

  it('the audit decision never auto-creates a project; an unknown gl_repository has no namespace', async () => {
    const res = await audit({ ...first(), action: 'git-receive-pack', gl_repository: '', project: 'alice/auditnew.git' });
    expectDenied(res, 404, NF);
    expect(await f.t.dataSource.query(`SELECT id FROM projects WHERE full_path = 'alice/auditnew'`)).toEqual([]);
    expectDenied(await audit({ ...first(), gl_repository: 'project-999999' }), 404, 'The namespace you were looking for could not be found.');
  });
});

describe('message catalogue', () => {
  it('every catalogue text of GitAccess and Lfs is expected by some test', () => {
    const dirs = [__dirname, join(__dirname, '..', 'lfs')];
    const sources = dirs
      .flatMap((dir) => readdirSync(dir).filter((n) => n.endsWith('.ts')).map((n) => readFileSync(join(dir, n), 'utf8')))
      .join('\n');
    const SENTINEL = '\u0001';
    const missing: string[] = [];
    for (const [name, entry] of Object.entries(MESSAGES)) {
      const text =
        typeof entry !== 'function'
          ? entry
          : name === 'pushTimedOut'
            ? (entry as (t: string[]) => string)([SENTINEL])
            : (entry as (...a: string[]) => string)(SENTINEL, SENTINEL, SENTINEL);
      const fragments = text.split(SENTINEL).filter((s) => s.trim().length > 3);
      for (const fragment of fragments) {
        const escaped = JSON.stringify(fragment).slice(1, -1);
        if (!sources.includes(fragment) && !sources.includes(escaped)) missing.push(`${name}: ${escaped}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
