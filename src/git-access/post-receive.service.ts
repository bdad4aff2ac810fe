import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { dataException } from '../common/db-errors';
import { isStorableJson, isStorableText } from '../common/storable-text';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Actor, ActorService } from '../identity/actor.service';
import { JobOutbox, OutboxMessage } from '../jobs/job-outbox';
import { JobQueue, queueToken } from '../jobs/job-queue';
import { AccessService } from '../namespaces/access.service';
import { ProjectsService } from '../namespaces/projects.service';
import { SharedState } from '../shared-state/shared-state.service';
import { projectCreatedKey, projectMovedKey } from './checks/post-push-messages';
import { validateGitalyClientContext } from './checks/request-checks';
import { PostReceiveRequest, PreReceiveRequest } from './dto/receive.dto';
import { ChangeLine, changeAction, isBlankRev, parseChanges, parsePushOptions, PushOptions, refType } from './changes';
import { PushEvent } from './entities/push-event.entity';
import { MESSAGES } from './messages';
import { escapeBranchForQuery, refNameMatches } from './ref-rules';
import { invalidGlRepository, parseGlRepository, RepoProject, RepositoryService } from './repository.service';

export const POST_RECEIVE_QUEUE = 'post-receive';
export const REFERENCE_COUNTER_TTL = 600;
export const referenceCounterKey = (glRepository: string) => `git-receive-pack-reference-counter:${glRepository}`;

/** Data of a post-receive job. */
export interface PostReceiveJob {
  gl_repository: string;
  identifier: string;
  changes: string;
  push_options: PushOptions;
  received_at: string;
}

export interface PostReceiveMessage {
  message: string;
  type: 'basic' | 'alert';
}

/**
 * `pre_receive` / `post_receive`: the push reference counter, the messages shown to the
 * pusher (returned synchronously) and the post-receive job that records push events.
 */
@Injectable()
export class PostReceiveService implements OnModuleInit {
  private readonly logger = new Logger('PostReceive');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(queueToken(POST_RECEIVE_QUEUE)) private readonly queue: JobQueue<OutboxMessage>,
    private readonly outbox: JobOutbox,
    private readonly state: SharedState,
    private readonly actors: ActorService,
    private readonly repositories: RepositoryService,
    private readonly access: AccessService,
    private readonly projects: ProjectsService,
  ) {}

  onModuleInit(): void {
    this.outbox.consume<PostReceiveJob>(this.queue, (job) => this.processJob(job), { attempts: 3, backoffMs: 2000 });
  }

  /** INCR of the reference counter (TTL 600 s); false when the counter store failed. */
  async preReceive(input: PreReceiveRequest): Promise<{ reference_counter_increased: boolean }> {
    const glRepository = input.gl_repository ?? '';
    try {
      await this.state.incr(referenceCounterKey(glRepository), REFERENCE_COUNTER_TTL);
      return { reference_counter_increased: true };
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'reference counter not increased');
      return { reference_counter_increased: false };
    }
  }

  async postReceive(input: PostReceiveRequest): Promise<{ messages: PostReceiveMessage[]; reference_counter_decreased: boolean }> {
    // 1. validation
    validateGitalyClientContext({ gitaly_client_context_bin: input.gitaly_client_context_bin });
    const glRepository = input.gl_repository ?? '';
    const parsed = glRepository ? parseGlRepository(glRepository) : null;
    if (glRepository && !parsed) throw invalidGlRepository(glRepository);
    // 2. repository (rule 1 only) and user
    const project = parsed?.type === 'project' ? await this.repositories.projectById(parsed.id) : null;
    const identifier = input.identifier ?? '';
    const actor = await this.actors.byIdentifier(identifier);
    const user = actor.user;
    // 3. reference counter
    const decreased = await this.decrement(glRepository);
    // 4. push options
    const rawOptions = input.push_options ?? [];
    const pushOptions = parsePushOptions(rawOptions);
    const changes = input.changes ?? '';
    const lines = parseChanges(changes);
    // 5. default branch and the job: recorded in PostgreSQL before the 200 (a push Gitaly reported is never lost),
    // then handed to the queue; when the queue does not answer in time the outbox relay hands it over later
    if (project) {
      const job: PostReceiveJob = {
        gl_repository: glRepository,
        identifier,
        changes,
        push_options: pushOptions,
        received_at: new Date().toISOString(),
      };
      const outboxId = await this.dataSource.transaction(async (m) => {
        project.default_branch = await this.ensureDefaultBranch(m, project, lines);
        return this.outbox.record(m, POST_RECEIVE_QUEUE, job);
      });
      const delivered = await this.outbox.deliver([{ id: outboxId, queue: POST_RECEIVE_QUEUE }]);
      if (!delivered.length)
        this.logger.warn({ outbox_id: outboxId }, 'post-receive job kept in the outbox: the job queue did not answer in time');
    }
    // 6. messages
    const messages: PostReceiveMessage[] = [];
    const alert = (text: string | null | undefined) => text && text.trim() !== '' && messages.unshift({ message: text, type: 'alert' });
    const basic = (text: string | null | undefined) => text && text.trim() !== '' && messages.push({ message: text, type: 'basic' });
    if (pushOptions.merge_request && Object.keys(pushOptions.merge_request).length) {
      alert(MESSAGES.mergeRequestPushOptions(rawOptions.map((o) => `'${o}'`).join(' ')));
    }
    alert(await this.broadcastMessage(project, actor));
    if (project) for (const link of this.mergeRequestLinks(project, lines)) basic(link);
    if (project && user) {
      basic(await this.takeOneShot(projectMovedKey(user.id, glRepository)));
      basic(await this.takeOneShot(projectCreatedKey(user.id, glRepository)));
    }
    return { messages, reference_counter_decreased: decreased };
  }

  private async decrement(glRepository: string): Promise<boolean> {
    try {
      await this.state.decr(referenceCounterKey(glRepository));
      return true;
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'reference counter not decreased');
      return false;
    }
  }

  /** Sets an empty project's default branch from the push: `main` when created, else the first created branch. */
  private async ensureDefaultBranch(m: EntityManager, project: RepoProject, lines: ChangeLine[]): Promise<string | null> {
    if (project.default_branch !== null) return project.default_branch;
    const created = lines.filter((l) => isBlankRev(l.oldrev) && !isBlankRev(l.newrev) && l.ref.startsWith('refs/heads/'));
    const candidate = created.find((l) => l.ref === 'refs/heads/main') ?? created[0];
    if (!candidate) return null;
    const branch = candidate.ref.slice('refs/heads/'.length);
    return this.projects.setDefaultBranchIfUnset(project.id, branch, m);
  }

  /** The CLI banner for this push: targeted by path first, then untargeted; highest id wins. */
  private async broadcastMessage(project: RepoProject | null, actor: Actor): Promise<string | null> {
    const rows: { id: number; message: string; target_path: string | null; target_access_levels: unknown }[] = await this.dataSource.query(
      `SELECT id, message, target_path, target_access_levels FROM broadcast_messages
       WHERE broadcast_type = 'banner' AND show_in_cli = true AND starts_at <= now() AND ends_at > now() ORDER BY id DESC`,
    );
    if (!rows.length) return null;
    const level = actor.user && project ? await this.access.projectAccessLevel(actor.user.id, project.id) : null;
    const fits = (r: (typeof rows)[number]) => {
      const levels = (typeof r.target_access_levels === 'string' ? JSON.parse(r.target_access_levels) : r.target_access_levels) as number[];
      return !Array.isArray(levels) || levels.length === 0 || (level !== null && levels.map(Number).includes(level));
    };
    if (project) {
      const path = `/${project.full_path}`;
      const targeted = rows.find((r) => r.target_path && fits(r) && refNameMatches(r.target_path.toLowerCase(), path.toLowerCase()));
      if (targeted) return targeted.message;
    }
    return rows.find((r) => !r.target_path && fits(r))?.message ?? null;
  }

  private mergeRequestLinks(project: RepoProject, lines: ChangeLine[]): string[] {
    if (!project.printing_merge_request_link_enabled || project.default_branch === null) return [];
    const links: string[] = [];
    for (const line of lines) {
      if (!line.ref.startsWith('refs/heads/') || isBlankRev(line.newrev)) continue;
      const branch = line.ref.slice('refs/heads/'.length);
      if (branch === project.default_branch) continue;
      const url = `${this.config.externalUrl}/${project.full_path}/-/merge_requests/new?merge_request%5Bsource_branch%5D=${escapeBranchForQuery(branch)}`;
      links.push(MESSAGES.mergeRequestLink(branch, url));
    }
    return links;
  }

  private async takeOneShot(key: string): Promise<string | null> {
    try {
      return await this.state.getDel(key);
    } catch (err) {
      this.logger.warn({ err: (err as Error).message, key }, 'one-shot message skipped');
      return null;
    }
  }

  /**
   * The job: one `push_events` row per change line, written in the transaction that also removes the job from
   * the outbox (so it is recorded exactly once); unattributable pushes record nothing. Each line stands on its
   * own: a line the database cannot store is logged and skipped, and the others are recorded.
   */
  async processJob(job: PostReceiveJob): Promise<((m: EntityManager) => Promise<void>) | null> {
    const parsed = parseGlRepository(job.gl_repository ?? '');
    const project = parsed?.type === 'project' ? await this.repositories.projectById(parsed.id) : null;
    const actor = await this.actors.byIdentifier(job.identifier ?? '');
    if (!project || !actor.user) {
      this.logger.warn(
        { gl_repository: job.gl_repository, identifier: job.identifier },
        'post-receive: project or user missing, nothing recorded',
      );
      return null;
    }
    const user = actor.user;
    const deployKeyId = actor.kind === 'deploy_key' && actor.key ? Number(actor.key.id) : null;
    let pushOptions = job.push_options ?? {};
    if (!isStorableJson(pushOptions)) {
      this.logger.warn({ gl_repository: job.gl_repository }, 'post-receive: push options not storable, recorded as none');
      pushOptions = {};
    }
    const rows: { line: number; values: PushEventValues }[] = [];
    parseChanges(job.changes ?? '').forEach((line, index) => {
      if (![line.oldrev, line.newrev, line.ref].every(isStorableText)) {
        this.skipped(job, index + 1, 'contains a NUL character or invalid UTF-8');
        return;
      }
      rows.push({
        line: index + 1,
        values: {
          project_id: project.id,
          author_id: user.id,
          deploy_key_id: deployKeyId,
          ref: line.ref,
          ref_type: refType(line.ref),
          action: changeAction(line),
          commit_from: storedRev(line.oldrev),
          commit_to: storedRev(line.newrev),
          push_options: pushOptions,
        },
      });
    });
    return async (m) => {
      if (!rows.length) return;
      await m.query('SAVEPOINT push_event_rows');
      try {
        // chunks keep each statement far below PostgreSQL's 65 535 bind parameters (a push can update 20 000 refs)
        for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
          await m.getRepository(PushEvent).insert(rows.slice(i, i + INSERT_CHUNK).map((r) => r.values));
        }
        await m.query('RELEASE SAVEPOINT push_event_rows');
      } catch (err) {
        if (!dataException(err)) throw err;
        await m.query('ROLLBACK TO SAVEPOINT push_event_rows');
        // some line the checks above let through is still refused: record the lines one by one
        for (const row of rows) {
          await m.query('SAVEPOINT push_event_line');
          try {
            await m.getRepository(PushEvent).insert(row.values);
            await m.query('RELEASE SAVEPOINT push_event_line');
          } catch (lineErr) {
            if (!dataException(lineErr)) throw lineErr;
            await m.query('ROLLBACK TO SAVEPOINT push_event_line');
            this.skipped(job, row.line, (lineErr as Error).message);
          }
        }
      }
    };
  }

  private skipped(job: PostReceiveJob, line: number, reason: string): void {
    this.logger.error({ gl_repository: job.gl_repository, identifier: job.identifier, line, reason }, 'post-receive: change line not recorded');
  }
}

type PushEventValues = QueryDeepPartialEntity<PushEvent>;

/** Rows per INSERT statement of the post-receive job. */
const INSERT_CHUNK = 1000;

/** A revision as stored in `push_events` (varchar 64): null when blank, or when it cannot be a revision at all. */
function storedRev(rev: string): string | null {
  return isBlankRev(rev) || rev.length > 64 ? null : rev;
}
