import { itRejectsWithoutShellJwt } from '../../helpers/auth-examples';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { BroadcastMessagesService } from '../../../src/git-access/admin/broadcast-messages.service';
import { PushEvent } from '../../../src/git-access/entities/push-event.entity';
import { JobQueue, queueToken } from '../../../src/jobs/job-queue';
import { Project } from '../../../src/namespaces/entities/project.entity';
import { SharedState } from '../../../src/shared-state/shared-state.service';
import { addUserKey, createGroup, createProject, createUser } from '../../helpers/factories';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { A, B, buildFixtures, Fixtures, post, pushBody, Z } from './fixtures';

const SHA = '570e7b2abdd848b95f2f578043fc23bd6f6fd24d';

describe('pre_receive / post_receive', () => {
  let f: Fixtures;
  let queue: JobQueue;
  beforeAll(async () => {
    f = await buildFixtures();
    queue = f.t.get<JobQueue>(queueToken('post-receive'));
  });
  afterAll(() => f.close());

  const state = () => f.t.get<SharedState>(SharedState);
  const broadcasts = () => f.t.get<BroadcastMessagesService>(BroadcastMessagesService);
  const postReceive = (body: object) => post(f.t, '/post_receive', body);
  const events = (projectId: number) =>
    f.t.dataSource.getRepository(PushEvent).find({ where: { project_id: projectId }, order: { id: 'ASC' } });
  const mrLink = (branch: string, escaped = branch) =>
    `To create a merge request for ${branch}, visit:\n  http://gitlab.test/grp/priv/-/merge_requests/new?merge_request%5Bsource_branch%5D=${escaped}`;

  async function ttlOf(key: string): Promise<number> {
    if (process.env.REDIS_URL) {
      const { REDIS_CLIENT } = await import('../../../src/shared-state/shared-state.service');
      return f.t.get<{ ttl(k: string): Promise<number> }>(REDIS_CLIENT).ttl(key);
    }
    const entry = (state() as unknown as { entries: Map<string, { expiresAt: number }> }).entries.get(key)!;
    return Math.round((entry.expiresAt - Date.now()) / 1000);
  }

  it('#61 pre_receive increments the reference counter with a 600 s TTL', async () => {
    const res = await post(f.t, '/pre_receive', { gl_repository: `project-${f.priv.id}` });
    expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: { reference_counter_increased: true } });
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(await state().get(`git-receive-pack-reference-counter:project-${f.priv.id}`)).toBe('1');
    const ttl = await ttlOf(`git-receive-pack-reference-counter:project-${f.priv.id}`);
    expect(ttl).toBeGreaterThan(590);
    expect(ttl).toBeLessThanOrEqual(600);
    const empty = await post(f.t, '/pre_receive', {});
    expect({ status: empty.status, body: empty.body }).toEqual({ status: 200, body: { reference_counter_increased: true } });
    expect(await state().get('git-receive-pack-reference-counter:')).toBe('1');
  });

  it('#62 post_receive answers the merge-request link and records a push event', async () => {
    const res = await postReceive({
      gl_repository: `project-${f.priv.id}`,
      identifier: `key-${f.keys.alice.id}`,
      changes: `${Z} ${SHA} refs/heads/feature\n`,
      push_options: null,
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe(JSON.stringify({ messages: [{ message: mrLink('feature'), type: 'basic' }], reference_counter_decreased: true }));
    expect(await state().get(`git-receive-pack-reference-counter:project-${f.priv.id}`)).toBe('0');
    await queue.whenIdle();
    const rows = await events(f.priv.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      ref: 'refs/heads/feature',
      ref_type: 'branch',
      action: 'created',
      commit_from: null,
      commit_to: SHA,
      author_id: Number(f.users.alice.id),
      deploy_key_id: null,
      push_options: {},
    });
  });

  it('#63 no links for the default branch, deletions, tags, or when disabled; branch names are escaped', async () => {
    const send = (changes: string) => postReceive({ gl_repository: `project-${f.priv.id}`, identifier: `user-${f.users.alice.id}`, changes, push_options: null });
    for (const changes of [`${A} ${B} refs/heads/main\n`, `${A} ${Z} refs/heads/x\n`, `${Z} ${B} refs/tags/t\n`]) {
      const res = await send(changes);
      expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: { messages: [], reference_counter_decreased: true } });
    }
    const escaped = await send(`${Z} ${B} refs/heads/feat/x+1\n`);
    expect(escaped.body.messages).toEqual([{ message: mrLink('feat/x+1', 'feat%2Fx%2B1'), type: 'basic' }]);
    await f.t.dataSource.getRepository(Project).update(f.priv.id, { printing_merge_request_link_enabled: false });
    try {
      expect((await send(`${Z} ${B} refs/heads/feature\n`)).body.messages).toEqual([]);
    } finally {
      await f.t.dataSource.getRepository(Project).update(f.priv.id, { printing_merge_request_link_enabled: true });
    }
  });

  it('#64 broadcast banners: path-targeted first, notifications never, access-level targeting', async () => {
    const body = { gl_repository: `project-${f.priv.id}`, identifier: `key-${f.keys.alice.id}`, changes: `${Z} ${SHA} refs/heads/feature\n`, push_options: null };
    const hi = await broadcasts().create({ message: 'Hi' });
    const note = await broadcasts().create({ message: 'Note', broadcastType: 'notification' });
    const scoped = await broadcasts().create({ message: 'Scoped', targetPath: '/grp/*' });
    try {
      const res = await postReceive(body);
      expect(res.body.messages).toEqual([
        { message: 'Scoped', type: 'alert' },
        { message: mrLink('feature'), type: 'basic' },
      ]);
      await broadcasts().delete(scoped.id);
      expect((await postReceive(body)).body.messages[0]).toEqual({ message: 'Hi', type: 'alert' });
      const maint = await broadcasts().create({ message: 'Maintainers only', targetAccessLevels: [40] });
      expect((await postReceive(body)).body.messages[0]).toEqual({ message: 'Hi', type: 'alert' });
      await broadcasts().delete(maint.id);
      const dev = await broadcasts().create({ message: 'Developers', targetAccessLevels: [30] });
      expect((await postReceive(body)).body.messages[0]).toEqual({ message: 'Developers', type: 'alert' });
      await broadcasts().delete(dev.id);
      const expired = await broadcasts().create({ message: 'Old', startsAt: new Date(Date.now() - 7200_000), endsAt: new Date(Date.now() - 3600_000) });
      expect((await postReceive(body)).body.messages[0]).toEqual({ message: 'Hi', type: 'alert' });
      await broadcasts().delete(expired.id);
    } finally {
      await broadcasts().delete(hi.id);
      await broadcasts().delete(note.id);
    }
  });

  it('#65 a push through a redirect leaves a one-shot notice', async () => {
    await f.t.dataSource.query(`UPDATE projects SET path = 'private', full_path = 'grp/private' WHERE id = $1`, [f.priv.id]);
    await f.t.dataSource.query(`INSERT INTO redirect_routes (source_type, source_id, path) VALUES ('Project', $1, 'grp/priv')`, [f.priv.id]);
    try {
      const allowed = await post(f.t, '/allowed', pushBody({ full_path: 'grp/priv' }, f.keys.mia));
      expect(allowed.status).toBe(200);
      expect(allowed.body.gl_project_path).toBe('grp/private');
      const body = { gl_repository: `project-${f.priv.id}`, identifier: `user-${f.users.mia.id}`, changes: `${A} ${B} refs/heads/main\n`, push_options: null };
      const first = await postReceive(body);
      expect(first.body.messages).toContainEqual({
        message: "Project 'grp/priv' was moved to 'grp/private'.\n\nPlease update your Git remote:\n\n  git remote set-url origin git@gitlab.test:grp/private.git\n",
        type: 'basic',
      });
      const second = await postReceive(body);
      expect(second.body.messages).toEqual([]);
    } finally {
      await f.t.dataSource.query(`DELETE FROM redirect_routes WHERE path = 'grp/priv'`);
      await f.t.dataSource.query(`UPDATE projects SET path = 'priv', full_path = 'grp/priv' WHERE id = $1`, [f.priv.id]);
    }
  });

  it('#66 after an auto-create the first push sets the default branch and shows the creation notice', async () => {
    const allowed = await post(f.t, '/allowed', pushBody({ full_path: 'alice/newproj' }, f.keys.alice));
    expect(allowed.status).toBe(200);
    const id = allowed.body.gl_project_id;
    const res = await postReceive({ gl_repository: `project-${id}`, identifier: `user-${f.users.alice.id}`, changes: `${Z} ${B} refs/heads/main\n`, push_options: null });
    expect({ status: res.status, body: res.body }).toEqual({
      status: 200,
      body: {
        messages: [
          {
            message:
              '\nThe private project alice/newproj was successfully created.\n\nTo configure the remote, run:\n  git remote add origin git@gitlab.test:alice/newproj.git\n\nTo view the project, visit:\n  http://gitlab.test/alice/newproj\n\n',
            type: 'basic',
          },
        ],
        reference_counter_decreased: true,
      },
    });
    const [row] = await f.t.dataSource.query(`SELECT default_branch FROM projects WHERE id = $1`, [id]);
    expect(row.default_branch).toBe('main');
  });

  it('the default branch of an empty project is the first created branch when main is not pushed', async () => {
    const empty = await createProject(f.t, f.grp, 'emptyish', { defaultBranch: null });
    const res = await postReceive({
      gl_repository: `project-${empty.id}`,
      identifier: `user-${f.users.mia.id}`,
      changes: `${Z} ${B} refs/tags/v1\n${Z} ${B} refs/heads/develop\n${Z} ${B} refs/heads/topic\n`,
      push_options: null,
    });
    expect(res.status).toBe(200);
    const [row] = await f.t.dataSource.query(`SELECT default_branch FROM projects WHERE id = $1`, [empty.id]);
    expect(row.default_branch).toBe('develop');
    expect(res.body.messages).toEqual([
      {
        message: 'To create a merge request for topic, visit:\n  http://gitlab.test/grp/emptyish/-/merge_requests/new?merge_request%5Bsource_branch%5D=topic',
        type: 'basic',
      },
    ]);
  });

  it('#67 merge-request push options warn (after the banner) and the job keeps the parsed options', async () => {
    const hi = await broadcasts().create({ message: 'Hi' });
    try {
      const before = (await events(f.priv.id)).length;
      const res = await postReceive({
        gl_repository: `project-${f.priv.id}`,
        identifier: `user-${f.users.alice.id}`,
        changes: `${Z} ${B} refs/heads/feature\n`,
        push_options: ['merge_request.create', 'ci.skip'],
      });
      expect(res.body.messages).toEqual([
        { message: 'Hi', type: 'alert' },
        { message: "WARNINGS:\nError encountered with push options 'merge_request.create' 'ci.skip': Merge requests are not supported.", type: 'alert' },
        { message: mrLink('feature'), type: 'basic' },
      ]);
      await queue.whenIdle();
      const rows = await events(f.priv.id);
      expect(rows).toHaveLength(before + 1);
      expect(rows[rows.length - 1].push_options).toEqual({ merge_request: { create: true }, ci: { skip: true } });
    } finally {
      await broadcasts().delete(hi.id);
    }
  });

  it('#68 unknown projects, wikis and orphaned deploy keys: messages only, nothing recorded', async () => {
    const spy = jest.spyOn(queue, 'add');
    try {
      const before = await f.t.dataSource.query(`SELECT count(*)::int AS n FROM push_events`);
      for (const glRepository of ['project-999999', `wiki-${f.priv.id}`]) {
        const res = await postReceive({ gl_repository: glRepository, identifier: `user-${f.users.alice.id}`, changes: `${Z} ${B} refs/heads/feature\n`, push_options: null });
        expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: { messages: [], reference_counter_decreased: true } });
      }
      expect(spy).not.toHaveBeenCalled();
      const res = await postReceive({ gl_repository: `project-${f.priv.id}`, identifier: `key-${f.dk.none.id}`, changes: `${A} ${B} refs/heads/main\n`, push_options: null });
      expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: { messages: [], reference_counter_decreased: true } });
      expect(spy).toHaveBeenCalledTimes(1);
      await queue.whenIdle();
      expect(await f.t.dataSource.query(`SELECT count(*)::int AS n FROM push_events`)).toEqual(before);
    } finally {
      spy.mockRestore();
    }
  });

  it('#69 a malformed gl_repository → 400', async () => {
    const res = await postReceive({ gl_repository: 'project-foo', identifier: `user-${f.users.alice.id}`, changes: '', push_options: null });
    expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: { message: '400 Bad request - Invalid GL Repository "project-foo"' } });
  });

  it('post_receive validates gitaly_client_context_bin like /allowed', async () => {
    const res = await postReceive({ gl_repository: `project-${f.priv.id}`, gitaly_client_context_bin: 'bm90IGpzb24=' });
    expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: { message: '400 Bad request - malformed gitaly_client_context_bin' } });
  });

  it('a deploy-key push records the key and its creator; tags, deletions and other refs get their types', async () => {
    const before = (await events(f.priv.id)).length;
    await postReceive({
      gl_repository: `project-${f.priv.id}`,
      identifier: `key-${f.dk.rw.id}`,
      changes: `${A} ${Z} refs/tags/old\n${A} ${B} refs/notes/commits\n`,
      push_options: ['mr.label=a', 'mr.label=b', 'another push option'],
    });
    await queue.whenIdle();
    const rows = (await events(f.priv.id)).slice(before);
    expect(rows.map((r) => [r.ref_type, r.action, r.commit_from, r.commit_to, r.author_id, r.deploy_key_id])).toEqual([
      ['tag', 'removed', A, null, Number(f.users.mia.id), Number(f.dk.rw.id)],
      ['other', 'pushed', A, B, Number(f.users.mia.id), Number(f.dk.rw.id)],
    ]);
    expect(rows[0].push_options).toEqual({ merge_request: { label: { a: 1, b: 1 } } });
  });

  it('200 parallel pre_receive/post_receive pairs leave the counter at exactly 0', async () => {
    const gl = 'project-424242';
    await Promise.all(
      Array.from({ length: 200 }, async () => {
        const pre = await post(f.t, '/pre_receive', { gl_repository: gl });
        expect(pre.body).toEqual({ reference_counter_increased: true });
        const postRes = await postReceive({ gl_repository: gl, identifier: `user-${f.users.alice.id}`, changes: '', push_options: null });
        expect(postRes.body.reference_counter_decreased).toBe(true);
      }),
    );
    expect(await state().get(`git-receive-pack-reference-counter:${gl}`)).toBe('0');
  });

  itRejectsWithoutShellJwt(() => f.t, 'post', '/api/v4/internal/pre_receive', { gl_repository: 'project-1' });
  itRejectsWithoutShellJwt(() => f.t, 'post', '/api/v4/internal/post_receive', { gl_repository: 'project-1' });

  it('a post_receive without pre_receive removes the key instead of going negative', async () => {
    const gl = 'project-515151';
    await postReceive({ gl_repository: gl, identifier: 'user-1', changes: '', push_options: null });
    expect(await state().get(`git-receive-pack-reference-counter:${gl}`)).toBeNull();
  });
});

async function waitForRows<T>(read: () => Promise<T[]>, n: number, timeoutMs: number): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await read();
    if (rows.length >= n || Date.now() > deadline) return rows;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('post-receive jobs are recorded in PostgreSQL before the 200 (job outbox)', () => {
  it('a job the queue refused is kept in job_outbox, relayed later and recorded exactly once', async () => {
    const t: TestApp = await createTestApp();
    try {
      const user = await createUser(t, 'olga');
      const key = await addUserKey(t, user);
      const group = await createGroup(t, 'ogrp');
      const project = await createProject(t, group, 'oproj');
      const queue = t.get<JobQueue>(queueToken('post-receive'));
      const add = jest.spyOn(queue, 'add').mockRejectedValue(new Error('queue unreachable'));
      const res = await post(t, '/post_receive', {
        gl_repository: `project-${project.id}`,
        identifier: `key-${key.id}`,
        changes: `${Z} ${B} refs/heads/kept\n`,
        push_options: null,
      });
      expect(res.status).toBe(200);
      expect(add).toHaveBeenCalled();
      expect(await t.dataSource.query(`SELECT queue, data->>'changes' AS changes FROM job_outbox`)).toEqual([
        { queue: 'post-receive', changes: `${Z} ${B} refs/heads/kept\n` },
      ]);
      add.mockRestore();
      const read = () => t.dataSource.query(`SELECT ref, action, author_id FROM push_events WHERE project_id = $1`, [project.id]);
      const rows = await waitForRows(read, 1, 15_000);
      await queue.whenIdle();
      expect(await read()).toEqual([{ ref: 'refs/heads/kept', action: 'created', author_id: Number(user.id) }]);
      expect(rows).toHaveLength(1);
      expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM job_outbox`)).toEqual([{ n: 0 }]);
    } finally {
      await t.close();
    }
  });

  it('a job delivered twice is recorded once', async () => {
    const t: TestApp = await createTestApp();
    try {
      const user = await createUser(t, 'otto');
      const key = await addUserKey(t, user);
      const group = await createGroup(t, 'tgrp');
      const project = await createProject(t, group, 'tproj');
      const queue = t.get<JobQueue<{ outbox_id: number }>>(queueToken('post-receive'));
      let outboxId = 0;
      const add = queue.add.bind(queue);
      const spy = jest.spyOn(queue, 'add').mockImplementation(async (data) => {
        outboxId = data.outbox_id;
        await add(data); // and a second delivery under another job id, as after a lost acknowledgement
        await add(data, { jobId: `again-${data.outbox_id}` });
      });
      const res = await post(t, '/post_receive', {
        gl_repository: `project-${project.id}`,
        identifier: `key-${key.id}`,
        changes: `${Z} ${B} refs/heads/twice\n`,
        push_options: null,
      });
      expect(res.status).toBe(200);
      spy.mockRestore();
      expect(outboxId).toBeGreaterThan(0);
      await queue.whenIdle(15_000);
      expect(await t.dataSource.query(`SELECT ref FROM push_events WHERE project_id = $1`, [project.id])).toEqual([
        { ref: 'refs/heads/twice' },
      ]);
    } finally {
      await t.close();
    }
  });
});

// Across instances: Bull on Redis hands the job of an instance that closed to the next one.
(process.env.REDIS_URL ? describe : describe.skip)('post-receive job durability (Redis)', () => {
  it('a job enqueued by an instance that closes is processed once by another instance', async () => {
    const base: TestApp = await createTestApp();
    try {
      const user = await createUser(base, 'dora');
      const key = await addUserKey(base, user);
      const group = await createGroup(base, 'dgrp');
      const project = await createProject(base, group, 'dproj');
      const shared = { DATABASE_URL: base.config.databaseUrl!, REDIS_PREFIX: `${base.config.redisPrefix}_jobs` };
      const first = await createTestApp(shared);
      await first.get<Queue>(getQueueToken('post-receive')).pause(true);
      const res = await post(first, '/post_receive', {
        gl_repository: `project-${project.id}`,
        identifier: `key-${key.id}`,
        changes: `${Z} ${B} refs/heads/x\n`,
        push_options: null,
      });
      expect(res.status).toBe(200);
      await first.close();
      const second = await createTestApp(shared);
      try {
        const read = () => base.dataSource.query(`SELECT ref, action, author_id FROM push_events WHERE project_id = $1`, [project.id]);
        await waitForRows(read, 1, 15_000);
        await second.get<JobQueue>(queueToken('post-receive')).whenIdle(15_000);
        expect(await read()).toEqual([{ ref: 'refs/heads/x', action: 'created', author_id: Number(user.id) }]);
      } finally {
        await second.close();
      }
    } finally {
      await base.close();
    }
  });
});
