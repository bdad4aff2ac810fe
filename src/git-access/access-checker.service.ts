import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { ApiError } from '../common/api-error';
import { arrayParam, stringParam } from '../common/coerce';
import { RawParams } from '../common/params.decorator';
import { APP_CONFIG, AppConfig } from '../config/config';
import { ReadReplicas } from '../database/read-replicas';
import { Actor, ActorService } from '../identity/actor.service';
import { Key } from '../identity/entities/key.entity';
import { User } from '../identity/entities/user.entity';
import { counter } from '../instance/metrics';
import { AccessService } from '../namespaces/access.service';
import { NamespaceTreeRepository } from '../namespaces/namespace-tree.repository';
import { MembersService } from '../namespaces/members.service';
import { ProjectsService } from '../namespaces/projects.service';
import { SharedState } from '../shared-state/shared-state.service';
import { canDownloadCode, canMaintain, canPushCode, canReadProject } from './abilities';
import { ChangeLine, isBlankRev, parseChanges } from './changes';
import { GitEnv, GitHistoryService } from './git-history.service';
import { MESSAGES } from './messages';
import { isHexBranchName, isHexTagName, isInvalidTagName, refNameMatches } from './ref-rules';
import { RepoProject, RepoSettings, RepositoryService, ResolvedRepository } from './repository.service';

/** A failed step of the decision procedure: the answer plus the step's code (for metrics and logs). */
export class AccessDenied extends ApiError {
  constructor(
    readonly reason: string,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) {
    super(status, body, headers);
  }
}

/** `{"status":false,"message":...}` with the given status (401 unless said). */
const deny = (reason: string, message: string, status = 401) => new AccessDenied(reason, status, { status: false, message });

const deniedCounter = counter('gitlab_internal_allowed_denied_total', 'Denied /allowed and git audit decisions by reason code', ['reason']);

const COMMANDS = ['git-upload-pack', 'git-receive-pack', 'git-upload-archive'];
const PUSH_BUDGET_MS = 50_000;
const EXPIRY_WARNING_MS = 7 * 24 * 60 * 60 * 1000;
const ONE_SHOT_TTL = 300;

export interface ProtectedBranchRule {
  name: string;
  allow_force_push: boolean;
  push: { access_level: number | null; deploy_key_id: number | null }[];
  merge: number[];
}

export interface ProtectedTagRule {
  name: string;
  create: { access_level: number | null; deploy_key_id: number | null }[];
}

/** Everything the steps read, gathered once per request; lazy values are memoised. */
interface Ctx {
  params: RawParams;
  audit: boolean;
  requestId: unknown;
  actor: Actor;
  /** U: the user for access checks (none for a deploy-key actor). */
  user: User | null;
  key: Key | null;
  deployKey: Key | null;
  repo: ResolvedRepository;
  settings: RepoSettings;
  project: RepoProject | null;
  redirectedPath: string | null;
  cmd: string;
  push: boolean;
  download: boolean;
  any: boolean;
  lines: ChangeLine[];
  protocol: string;
  env: GitEnv;
  levels: Map<number, Promise<number>>;
  deployKeyLink?: Promise<{ can_push: boolean } | null>;
  /** Set once this request wrote rows it reads again (G7): every later read goes to the primary. */
  primaryOnly?: boolean;
}

export interface AllowedResult {
  body: Record<string, unknown>;
}

/**
 * The `/allowed` decision procedure, in its exact order: request-level steps P1–P5, access steps
 * G1–G14, and per-change rules C1, B1–B10, T1–T8 — one small method per rule, each failing with the catalogue
 * text The same procedure answers the git audit event without its success payload.
 */
@Injectable()
export class AccessCheckerService {
  private readonly logger = new Logger('GitAccess');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly actors: ActorService,
    private readonly repositories: RepositoryService,
    private readonly access: AccessService,
    private readonly tree: NamespaceTreeRepository,
    private readonly projects: ProjectsService,
    private readonly members: MembersService,
    private readonly state: SharedState,
    private readonly git: GitHistoryService,
    private readonly replicas: ReadReplicas,
  ) {}

  /** Runs the procedure; resolves with the success body or throws the first failure (counted and logged). */
  async check(params: RawParams, options: { audit?: boolean; requestId?: unknown } = {}): Promise<AllowedResult> {
    try {
      return await this.run(params, options.audit ?? false, options.requestId);
    } catch (err) {
      if (err instanceof AccessDenied) {
        deniedCounter.inc({ reason: err.reason });
        this.logger.log({ request_id: options.requestId, reason: err.reason, status: err.status, message: err.message }, 'git access denied');
      }
      throw err;
    }
  }

  private async run(params: RawParams, audit: boolean, requestId: unknown): Promise<AllowedResult> {
    // P1 (authentication) ran in the guard.
    this.p2GitalyClientContext(params);
    // reads go to a read replica in rotation until the request writes something it reads again (G7)
    const [actor, resolved] = await Promise.all([this.replicas.read((m) => this.actors.resolve(params, m)), this.resolveRepository(params)]);
    const settings = resolved.repo?.settings ?? (await this.replicas.read((m) => this.repositories.settings(m)));
    await this.p3RateLimit(params, actor, settings);
    const repo = this.p4Repository(resolved);
    const ctx = await this.p5Context(params, audit, requestId, actor, repo, settings);

    this.g1Protocol(ctx);
    this.g2KeyValidity(ctx);
    this.g3UserState(ctx);
    this.g4Command(ctx);
    await this.g5CertificateNamespace(ctx);
    this.g6NamespaceInPath(ctx);
    await this.g7AutoCreate(ctx);
    const project = this.g8Existence(ctx);
    await this.g9Visibility(ctx, project);
    await this.g10MovedNotice(ctx, project);
    this.g11Repository(ctx, project);
    await this.g12Download(ctx, project);
    if (ctx.push) {
      this.g13aReadOnly(project);
      this.g13bArchived(project);
      await this.g13cDeployKey(ctx, project);
      this.g13dAnonymous(ctx);
      await this.g13ePushAny(ctx, project);
      await this.g13fPushChanges(ctx, project);
    }
    return { body: this.g14Success(ctx, project) };
  }

  // ---- request-level steps ----------------------------------------------------------------------------------

  /** P2: `gitaly_client_context_bin`, when present and non-empty, is base64 of a JSON object. */
  private p2GitalyClientContext(params: RawParams): void {
    validateGitalyClientContext(params);
  }

  private async resolveRepository(params: RawParams): Promise<{ repo?: ResolvedRepository; error?: ApiError }> {
    try {
      return { repo: await this.replicas.read((m) => this.repositories.resolve(params, m)) };
    } catch (err) {
      if (err instanceof ApiError) return { error: err };
      throw err;
    }
  }

  /** P3: per-minute operation limit for the scope (action, raw project, actor); Redis failures let the request through. */
  private async p3RateLimit(params: RawParams, actor: Actor, settings: RepoSettings): Promise<void> {
    const limit = settings.gitlab_shell_operation_limit;
    if (!limit || limit <= 0) return;
    const who = actor.key ? `key:${actor.key.id}` : actor.user ? `user:${actor.user.id}` : 'anonymous';
    const scope = JSON.stringify([stringParam(params.action) ?? '', stringParam(params.project) ?? '', who]);
    const minute = Math.floor(Date.now() / 60_000);
    const key = `gitlab_shell_operation:${createHash('sha256').update(scope).digest('hex')}:${minute}`;
    let count: number;
    try {
      count = await this.state.incr(key, 60);
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'rate limiter unavailable, request let through');
      return;
    }
    if (count > limit) throw new AccessDenied('P3', 429, { message: MESSAGES.rateLimited });
  }

  /** P4: a malformed `gl_repository` answers 400 (the actor and repository were resolved above). */
  private p4Repository(resolved: { repo?: ResolvedRepository; error?: ApiError }): ResolvedRepository {
    if (resolved.error) throw new AccessDenied('P4', resolved.error.status, resolved.error.body);
    return resolved.repo!;
  }

  /** P5: parse `env`, derive the request's facts, key last-used tracking. */
  private async p5Context(
    params: RawParams,
    audit: boolean,
    requestId: unknown,
    actor: Actor,
    repo: ResolvedRepository,
    settings: RepoSettings,
  ): Promise<Ctx> {
    const cmd = stringParam(params.action) ?? '';
    const changes = stringParam(params.changes);
    const lines = changes && changes.trim() !== '_any' ? parseChanges(changes) : [];
    await this.actors.touchKey(actor);
    return {
      params,
      audit,
      requestId,
      actor,
      user: actor.kind === 'deploy_key' ? null : actor.user,
      key: actor.key,
      deployKey: actor.kind === 'deploy_key' ? actor.key : null,
      repo,
      settings,
      project: repo.project,
      redirectedPath: repo.redirectedPath,
      cmd,
      push: cmd === 'git-receive-pack',
      download: cmd === 'git-upload-pack' || cmd === 'git-upload-archive',
      any: lines.length === 0,
      lines,
      protocol: stringParam(params.protocol) ?? '',
      env: parseEnv(params.env),
      levels: new Map(),
    };
  }

  // ---- access steps -----------------------------------------------------------------------------------------

  /** G1: the instance's and the root namespace's `enabled_git_access_protocol`. */
  private g1Protocol(ctx: Ctx): void {
    if (ctx.protocol === 'web') return;
    const instance = ctx.settings.enabled_git_access_protocol;
    const denied = () => deny('G1', MESSAGES.protocolNotAllowed(ctx.protocol));
    if (instance && instance !== ctx.protocol) throw denied();
    const root = ctx.project?.root_enabled_git_access_protocol;
    if (ctx.project && root && root !== 'all' && root !== ctx.protocol) throw denied();
  }

  /** G2: an expired key (user key or deploy key). */
  private g2KeyValidity(ctx: Ctx): void {
    const expires = ctx.key?.expires_at;
    if (expires && new Date(expires).getTime() <= Date.now()) throw deny('G2', MESSAGES.keyExpired);
  }

  /** G3: U must be active. */
  private g3UserState(ctx: Ctx): void {
    const state = ctx.user?.state;
    if (!state || state === 'active') return;
    if (state === 'blocked_pending_approval') throw deny('G3', MESSAGES.accountPendingApproval);
    if (state === 'deactivated') throw deny('G3', MESSAGES.accountDeactivated(this.config.externalUrl));
    throw deny('G3', MESSAGES.accountBlocked);
  }

  /** G4: one of the three git commands. */
  private g4Command(ctx: Ctx): void {
    if (!COMMANDS.includes(ctx.cmd)) throw deny('G4', MESSAGES.commandNotAllowed);
  }

  /** G5: an SSH-certificate login (`namespace_path`) only reaches projects under that top-level group. */
  private async g5CertificateNamespace(ctx: Ctx): Promise<void> {
    const namespacePath = stringParam(ctx.params.namespace_path);
    if (!ctx.any || !namespacePath) return;
    let rootFullPath: string | null;
    if (ctx.project) {
      rootFullPath = ctx.project.root_namespace_full_path;
    } else {
      const split = splitRequestPath(ctx.repo.requestPath);
      rootFullPath = split ? ((await this.namespaceByPath(split.namespace))?.root_full_path ?? null) : null;
    }
    if (rootFullPath !== null && rootFullPath.toLowerCase() !== namespacePath.toLowerCase()) {
      throw deny('G5', MESSAGES.namespaceNotAllowed);
    }
  }

  /** G6: without a project, the request path must name a namespace and a project. */
  private g6NamespaceInPath(ctx: Ctx): void {
    if (ctx.project) return;
    if (!splitRequestPath(ctx.repo.requestPath)) throw deny('G6', MESSAGES.namespaceNotFound, 404);
  }

  /** G7: `git push` to a new path creates a private project where the user may create projects. */
  private async g7AutoCreate(ctx: Ctx): Promise<void> {
    if (ctx.project || ctx.audit) return;
    if (ctx.repo.rule !== 'path' || ctx.repo.excluded) return;
    if (ctx.deployKey || !ctx.push || !ctx.any || !ctx.user) return;
    const split = splitRequestPath(ctx.repo.requestPath);
    if (!split) return;
    const user = ctx.user;
    const namespace = await this.namespaceByPath(split.namespace);
    if (!namespace || !(await this.canCreateProjects(user, namespace))) return;

    let projectId: number;
    try {
      projectId = await this.dataSource.transaction(async (m) => {
        const nsEntity = { id: namespace.id, full_path: namespace.full_path } as never;
        const created = await this.projects.create(
          { namespace: nsEntity, name: split.project, path: split.project, visibilityLevel: 0, creatorId: user.id, defaultBranch: null },
          m,
        );
        if (namespace.type === 'Group' && (await this.access.projectAccessLevel(user.id, created.id, m)) < 40) {
          await this.members.add({ sourceType: 'Project', sourceId: created.id, userId: user.id, accessLevel: 40 }, m);
        }
        return created.id;
      });
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 400) throw err;
      const errors = (err.body as { message?: unknown }).message;
      const messages = errors && typeof errors === 'object' ? modelMessages(errors as Record<string, string[]>) : [String(errors)];
      if (messages[0] === 'Path has already been taken') {
        // a concurrent push won the race (continue with its project), or a project pending deletion holds the path
        ctx.primaryOnly = true;
        const winner = await this.repositories.resolve(ctx.params);
        if (winner.project) {
          ctx.project = winner.project;
          return;
        }
        if (await this.pendingDeleteHolds(`${namespace.full_path}/${split.project}`)) return;
      }
      throw deny('G7', MESSAGES.couldNotCreateProject(messages.slice(0, 1).join(', ')), 422);
    }
    ctx.primaryOnly = true;
    const project = await this.repositories.projectById(projectId);
    if (!project) return;
    ctx.project = project;
    const local = this.repositories.localRepository(project);
    if (local) await this.git.initBare(local);
    const url = this.remoteUrl(ctx, project.full_path);
    await this.oneShot(
      `project_created:${user.id}:project-${project.id}`,
      MESSAGES.projectCreated(project.full_path, url, this.repositories.webUrl(project.full_path)),
    );
  }

  /** G8: the project exists. */
  private g8Existence(ctx: Ctx): RepoProject {
    if (!ctx.project) throw deny('G8', MESSAGES.projectNotFound, 404);
    return ctx.project;
  }

  /** G9: the actor may read the project. */
  private async g9Visibility(ctx: Ctx, project: RepoProject): Promise<void> {
    let readable: boolean;
    if (ctx.deployKey) {
      readable = !!(await this.deployKeyLink(ctx, project)) || canReadProject(project, null, 0);
    } else {
      readable = canReadProject(project, ctx.user, await this.level(ctx, ctx.user, project));
    }
    if (!readable) throw deny('G9', MESSAGES.projectNotFound, 404);
  }

  /** G10: a project reached through a redirect route leaves a one-shot notice for post_receive. */
  private async g10MovedNotice(ctx: Ctx, project: RepoProject): Promise<void> {
    if (!ctx.redirectedPath || !ctx.actor.user || ctx.audit) return;
    const url = this.remoteUrl(ctx, project.full_path);
    await this.oneShot(`redirect_namespace:${ctx.actor.user.id}:project-${project.id}`, MESSAGES.projectMoved(ctx.redirectedPath, project.full_path, url));
  }

  /** G11: with a local storage path, the repository directory must exist. */
  private g11Repository(ctx: Ctx, project: RepoProject): void {
    const local = this.repositories.localRepository(project, stringParam(ctx.params.relative_path));
    if (local && !this.repositories.localRepositoryExists(local)) throw deny('G11', MESSAGES.repositoryNotFound, 404);
  }

  /** G12: downloads need `download_code` (a deploy key: enabled and the repository not disabled). */
  private async g12Download(ctx: Ctx, project: RepoProject): Promise<void> {
    if (!ctx.download) return;
    let allowed: boolean;
    if (ctx.deployKey) {
      allowed =
        (!!(await this.deployKeyLink(ctx, project)) && project.repository_access_level !== 0) || canDownloadCode(project, null, 0);
    } else {
      allowed = canDownloadCode(project, ctx.user, await this.level(ctx, ctx.user, project));
    }
    if (!allowed) throw deny('G12', MESSAGES.downloadNotAllowed);
  }

  /** G13a: a read-only repository takes no push. */
  private g13aReadOnly(project: RepoProject): void {
    if (project.repository_read_only) throw deny('G13a', MESSAGES.readOnly);
  }

  /** G13b: an archived project takes no push. */
  private g13bArchived(project: RepoProject): void {
    if (project.archived) throw deny('G13b', MESSAGES.archived);
  }

  /** G13c: a deploy key pushes only where it is writable. */
  private async g13cDeployKey(ctx: Ctx, project: RepoProject): Promise<void> {
    if (!ctx.deployKey) return;
    if (!(await this.deployKeyLink(ctx, project))?.can_push) throw deny('G13c', MESSAGES.deployKeyReadOnly);
  }

  /** G13d: nobody pushes anonymously. */
  private g13dAnonymous(ctx: Ctx): void {
    if (!ctx.key && !ctx.user) throw deny('G13d', MESSAGES.uploadNotAllowed);
  }

  /** G13e: a push without real changes needs `push_code` (a writable deploy key passed G13c). */
  private async g13ePushAny(ctx: Ctx, project: RepoProject): Promise<void> {
    if (!ctx.any || ctx.deployKey) return;
    if (!canPushCode(project, ctx.user, await this.level(ctx, ctx.user, project))) throw deny('G13e', MESSAGES.pushNotAllowed);
  }

  /** G13f: the per-change rules for every line, in order, within the 50 s budget. */
  private async g13fPushChanges(ctx: Ctx, project: RepoProject): Promise<void> {
    if (ctx.any) return;
    const checker = await this.changeChecker(ctx, project);
    const started = Date.now();
    const timings: string[] = [];
    for (const line of ctx.lines) {
      if (Date.now() - started > PUSH_BUDGET_MS) throw deny('G13f', MESSAGES.pushTimedOut(timings), 503);
      const lineStarted = Date.now();
      await checker.check(line);
      timings.push(`Checking ${line.ref} (${((Date.now() - lineStarted) / 1000).toFixed(3)}s)`);
    }
    if (Date.now() - started > PUSH_BUDGET_MS) throw deny('G13f', MESSAGES.pushTimedOut(timings), 503);
  }

  /** G14: the success payload (null top-level keys dropped). */
  private g14Success(ctx: Ctx, project: RepoProject): Record<string, unknown> {
    const options = ['uploadpack.allowFilter=true', 'uploadpack.allowAnySHA1InWant=true'];
    const maxInput = ctx.settings.receive_max_input_size;
    if (maxInput && maxInput > 0) options.push(`receive.maxInputSize=${maxInput * 1048576}`);
    const storage = this.repositories.storage(project);
    const glRepository = `project-${project.id}`;
    const expires = ctx.key?.expires_at ? new Date(ctx.key.expires_at).getTime() : null;
    const now = Date.now();
    const body: Record<string, unknown> = {
      status: true,
      gl_repository: glRepository,
      gl_project_path: project.full_path,
      gl_project_id: project.id,
      gl_root_namespace_id: project.root_namespace_id,
      gl_id: ActorService.glId(ctx.actor),
      gl_username: ctx.actor.user?.username,
      git_config_options: options,
      gitaly: {
        repository: {
          storage_name: project.repository_storage,
          relative_path: RepositoryService.relativePath(project),
          git_object_directory: ctx.env.GIT_OBJECT_DIRECTORY_RELATIVE ?? '',
          git_alternate_object_directories: ctx.env.GIT_ALTERNATE_OBJECT_DIRECTORIES_RELATIVE ?? [],
          gl_repository: glRepository,
          gl_project_path: project.full_path,
        },
        address: storage?.address ?? '',
        token: storage?.token ?? '',
        features: {},
      },
      gl_console_messages: expires !== null && expires > now && expires < now + EXPIRY_WARNING_MS ? [MESSAGES.keyExpiringSoon] : [],
      need_audit: false,
      gl_key_type: ctx.key ? (ctx.deployKey ? 'deploy_key' : 'key') : undefined,
      gl_key_id: ctx.key ? Number(ctx.key.id) : undefined,
    };
    for (const k of Object.keys(body)) if (body[k] === null || body[k] === undefined) delete body[k];
    return body;
  }

  // ---- per-change rules ------------------------------------------------------------------------------

  private async changeChecker(ctx: Ctx, project: RepoProject): Promise<ChangeChecker> {
    // the user whose roles count: U, or the deploy key's creator C
    const refUser = ctx.actor.user;
    const level = refUser ? await this.level(ctx, refUser, project) : 0;
    const link = ctx.deployKey ? await this.deployKeyLink(ctx, project) : null;
    const [branches, tags] = await Promise.all([
      this.read(ctx, (m) => this.protectedBranches(project.id, m)),
      this.read(ctx, (m) => this.protectedTags(project.id, m)),
    ]);
    const local = this.repositories.localRepository(project, stringParam(ctx.params.relative_path));
    const history = local && this.repositories.localRepositoryExists(local) ? local : null;
    const userPush = canPushCode(project, refUser, level);
    const canPush = ctx.deployKey
      ? !!link?.can_push && !!refUser && refUser.state === 'active' && canReadProject(project, refUser, level)
      : userPush;
    return new ChangeChecker({
      project,
      protocol: ctx.protocol,
      deployKeyId: ctx.deployKey ? Number(ctx.deployKey.id) : null,
      canPush,
      adminTag: userPush,
      maintainer: canMaintain(project, refUser, level),
      refUserAdmin: !!refUser?.admin,
      refUserLevel: level,
      branches,
      tags,
      history,
      env: ctx.env,
      git: this.git,
      externalUrl: this.config.externalUrl,
    });
  }

  async protectedBranches(projectId: number, manager: EntityManager = this.dataSource.manager): Promise<ProtectedBranchRule[]> {
    const rows: { name: string; allow_force_push: boolean; push: unknown; merge: unknown }[] = await manager.query(
      `SELECT b.name, b.allow_force_push,
         (SELECT coalesce(json_agg(json_build_object('access_level', l.access_level, 'deploy_key_id', l.deploy_key_id)), '[]'::json)
            FROM protected_branch_push_access_levels l WHERE l.protected_branch_id = b.id) AS push,
         (SELECT coalesce(json_agg(l.access_level), '[]'::json) FROM protected_branch_merge_access_levels l WHERE l.protected_branch_id = b.id) AS merge
       FROM protected_branches b WHERE b.project_id = $1`,
      [projectId],
    );
    return rows.map((r) => ({
      name: r.name,
      allow_force_push: r.allow_force_push,
      push: jsonValue<{ access_level: number | null; deploy_key_id: number | null }[]>(r.push).map((l) => ({
        access_level: l.access_level === null ? null : Number(l.access_level),
        deploy_key_id: l.deploy_key_id === null ? null : Number(l.deploy_key_id),
      })),
      merge: jsonValue<number[]>(r.merge).map(Number),
    }));
  }

  async protectedTags(projectId: number, manager: EntityManager = this.dataSource.manager): Promise<ProtectedTagRule[]> {
    const rows: { name: string; create: unknown }[] = await manager.query(
      `SELECT t.name,
         (SELECT coalesce(json_agg(json_build_object('access_level', l.access_level, 'deploy_key_id', l.deploy_key_id)), '[]'::json)
            FROM protected_tag_create_access_levels l WHERE l.protected_tag_id = t.id) AS create
       FROM protected_tags t WHERE t.project_id = $1`,
      [projectId],
    );
    return rows.map((r) => ({
      name: r.name,
      create: jsonValue<{ access_level: number | null; deploy_key_id: number | null }[]>(r.create).map((l) => ({
        access_level: l.access_level === null ? null : Number(l.access_level),
        deploy_key_id: l.deploy_key_id === null ? null : Number(l.deploy_key_id),
      })),
    }));
  }

  // ---- helpers ----------------------------------------------------------------------------------------------

  /** A read on a replica in rotation, or on the primary once the request wrote what it reads. */
  private read<T>(ctx: Ctx, work: (m: EntityManager) => Promise<T>): Promise<T> {
    return ctx.primaryOnly ? work(this.dataSource.manager) : this.replicas.read(work);
  }

  /** L(user, project), memoised per request; 0 without a user. */
  private level(ctx: Ctx, user: User | null, project: RepoProject): Promise<number> {
    if (!user) return Promise.resolve(0);
    let cached = ctx.levels.get(user.id);
    if (!cached) {
      cached = this.read(ctx, (m) => this.access.projectAccessLevel(user.id, project.id, m));
      ctx.levels.set(user.id, cached);
    }
    return cached;
  }

  private deployKeyLink(ctx: Ctx, project: RepoProject): Promise<{ can_push: boolean } | null> {
    if (!ctx.deployKey) return Promise.resolve(null);
    const deployKeyId = ctx.deployKey.id;
    ctx.deployKeyLink ??= this.read(ctx, (m) =>
      m.query(`SELECT can_push FROM deploy_keys_projects WHERE deploy_key_id = $1 AND project_id = $2`, [deployKeyId, project.id]),
    ).then((rows: { can_push: boolean }[]) => rows[0] ?? null);
    return ctx.deployKeyLink;
  }

  /** A namespace and its root's path (read before any write of the request: a replica may serve it). */
  private namespaceByPath(fullPath: string) {
    return this.replicas.read((m) => this.tree.findByPathWithRoot(fullPath, m));
  }

  /** `create_projects` in N: admin, own personal namespace, or L(U, group) ≥ 30. */
  private async canCreateProjects(user: User, namespace: { id: number; type: 'User' | 'Group'; owner_id: number | null }): Promise<boolean> {
    if (user.admin) return true;
    if (namespace.type === 'User') return Number(namespace.owner_id) === Number(user.id);
    return (await this.replicas.read((m) => this.access.groupAccessLevel(user.id, namespace.id, m))) >= 30;
  }

  private pendingDeleteHolds(fullPath: string): Promise<boolean> {
    return this.projects.pendingDeletionHolds(fullPath);
  }

  private remoteUrl(ctx: Ctx, fullPath: string): string {
    return ctx.protocol === 'ssh' ? this.repositories.sshUrlToRepo(fullPath) : this.repositories.httpUrlToRepo(fullPath);
  }

  private async oneShot(key: string, value: string): Promise<void> {
    try {
      await this.state.set(key, value, ONE_SHOT_TTL);
    } catch (err) {
      this.logger.warn({ err: (err as Error).message, key }, 'one-shot message not stored');
    }
  }
}

interface ChangeCheckerInput {
  project: RepoProject;
  protocol: string;
  deployKeyId: number | null;
  canPush: boolean;
  adminTag: boolean;
  maintainer: boolean;
  refUserAdmin: boolean;
  refUserLevel: number;
  branches: ProtectedBranchRule[];
  tags: ProtectedTagRule[];
  history: string | null;
  env: GitEnv;
  git: GitHistoryService;
  externalUrl: string;
}

/** The checks of one push's change lines, with the actor's capabilities computed once. */
class ChangeChecker {
  constructor(private readonly i: ChangeCheckerInput) {}

  async check(line: ChangeLine): Promise<void> {
    this.c1CanPush();
    if (line.ref.startsWith('refs/heads/')) await this.branch(line, line.ref.slice('refs/heads/'.length));
    else if (line.ref.startsWith('refs/tags/')) this.tag(line, line.ref.slice('refs/tags/'.length));
  }

  /** C1: the actor can push at all. */
  private c1CanPush(): void {
    if (!this.i.canPush) throw deny('C1', MESSAGES.pushNotAllowed);
  }

  private async branch(line: ChangeLine, branch: string): Promise<void> {
    const creation = isBlankRev(line.oldrev);
    const deletion = isBlankRev(line.newrev);
    const update = !creation && !deletion;
    const empty = this.i.project.default_branch === null;
    // B1
    if (deletion && branch === this.i.project.default_branch) throw deny('B1', MESSAGES.deleteDefaultBranch);
    // B2
    if (!deletion && isHexBranchName(branch)) throw deny('B2', MESSAGES.hexBranchName);
    const rules = this.i.branches.filter((r) => refNameMatches(r.name, branch));
    if (!rules.length) return;
    // B3
    if (update && !empty && this.i.history && !rules.some((r) => r.allow_force_push)) {
      if (await this.i.git.isForcePush(this.i.history, this.i.env, line.oldrev, line.newrev)) throw deny('B3', MESSAGES.forcePushProtectedBranch);
    }
    if (empty) {
      // B4
      if (!this.canPushToBranch(rules)) throw deny('B4', MESSAGES.emptyRepository(this.i.project.full_path, this.i.externalUrl));
      return;
    }
    if (creation) {
      if (this.canPushToBranch(rules)) return;
      // B5
      if (!this.canMergeToBranch(rules)) throw deny('B5', MESSAGES.createProtectedBranch);
      // B6
      if (this.i.history) {
        const containing = await this.i.git.branchesContaining(this.i.history, this.i.env, line.newrev);
        if (containing !== null && !containing.some((b) => this.i.branches.some((r) => refNameMatches(r.name, b)))) {
          throw deny('B6', MESSAGES.invalidCommitForProtectedBranch);
        }
      }
      // B7
      if (this.i.protocol !== 'web') throw deny('B7', MESSAGES.nonWebCreateProtectedBranch);
      return;
    }
    if (deletion) {
      // B8
      if (!this.i.maintainer) throw deny('B8', MESSAGES.deleteProtectedBranch);
      // B9
      if (this.i.protocol !== 'web') throw deny('B9', MESSAGES.nonWebDeleteProtectedBranch);
      return;
    }
    // B10
    if (!this.canPushToBranch(rules)) throw deny('B10', MESSAGES.pushProtectedBranch);
  }

  private tag(line: ChangeLine, tag: string): void {
    const creation = isBlankRev(line.oldrev);
    const deletion = isBlankRev(line.newrev);
    // T1
    if (!creation && !this.i.adminTag) throw deny('T1', MESSAGES.changeExistingTags);
    // T2
    if (creation && tag === this.i.project.default_branch) throw deny('T2', MESSAGES.defaultBranchTag);
    if (!deletion) {
      // T3
      if (isInvalidTagName(tag) || tag.startsWith('refs/tags/')) throw deny('T3', MESSAGES.prohibitedTagPattern);
      // T4
      if (isHexTagName(tag)) throw deny('T4', MESSAGES.hexTagName);
    }
    const rules = this.i.tags.filter((r) => refNameMatches(r.name, tag));
    if (!rules.length) return;
    // T5
    if (!creation && !deletion) throw deny('T5', MESSAGES.updateProtectedTag);
    if (deletion) {
      // T6
      if (!this.i.maintainer) throw deny('T6', MESSAGES.deleteProtectedTag);
      // T7
      if (this.i.protocol !== 'web') throw deny('T7', MESSAGES.nonWebDeleteProtectedTag);
    }
    // T8
    if (!this.canCreateTag(rules)) throw deny('T8', MESSAGES.createProtectedTag);
  }

  /** Whether an access-level row admits the actor. */
  private admits(row: { access_level: number | null; deploy_key_id: number | null }): boolean {
    if (row.deploy_key_id !== null) return this.i.deployKeyId !== null && row.deploy_key_id === this.i.deployKeyId;
    if (row.access_level === 60) return this.i.refUserAdmin;
    if (row.access_level === 30 || row.access_level === 40) return this.i.adminTag && this.i.refUserLevel >= row.access_level;
    return false;
  }

  private canPushToBranch(rules: ProtectedBranchRule[]): boolean {
    return this.i.canPush && rules.some((r) => r.push.some((l) => this.admits(l)));
  }

  private canMergeToBranch(rules: ProtectedBranchRule[]): boolean {
    return rules.some((r) => r.merge.some((level) => this.admits({ access_level: level, deploy_key_id: null })));
  }

  private canCreateTag(rules: ProtectedTagRule[]): boolean {
    if (this.i.deployKeyId !== null) return true;
    return rules.some((r) => r.create.some((l) => this.admits(l)));
  }
}

/** P2 (also step 1 of post_receive): 400 unless an absent/empty value or base64 of a JSON object. */
export function validateGitalyClientContext(params: RawParams): void {
  const raw = stringParam(params.gitaly_client_context_bin);
  if (!raw) return;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
  } catch {
    throw new AccessDenied('P2', 400, { message: MESSAGES.malformedGitalyContext });
  }
  if (decoded === null || typeof decoded !== 'object' || Array.isArray(decoded)) {
    throw new AccessDenied('P2', 400, { message: MESSAGES.gitalyContextNotObject });
  }
}

/** `env`: a JSON string or object; anything unparseable is `{}`. */
function parseEnv(value: unknown): GitEnv {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return {};
    }
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
  const env = parsed as Record<string, unknown>;
  const out: GitEnv = {};
  if (typeof env.GIT_OBJECT_DIRECTORY_RELATIVE === 'string') out.GIT_OBJECT_DIRECTORY_RELATIVE = env.GIT_OBJECT_DIRECTORY_RELATIVE;
  const alternates = arrayParam(env.GIT_ALTERNATE_OBJECT_DIRECTORIES_RELATIVE);
  if (alternates) out.GIT_ALTERNATE_OBJECT_DIRECTORIES_RELATIVE = alternates;
  return out;
}

/** Namespace part and project part of a request path (text on both sides of the last `/`), or null. */
export function splitRequestPath(path: string): { namespace: string; project: string } | null {
  const i = path.lastIndexOf('/');
  if (i <= 0 || i === path.length - 1) return null;
  return { namespace: path.slice(0, i), project: path.slice(i + 1) };
}

/** `{"path":["must not …"]}` → `["Path must not …"]`. */
function modelMessages(errors: Record<string, string[]>): string[] {
  const out: string[] = [];
  for (const [attribute, list] of Object.entries(errors)) {
    const name = attribute.charAt(0).toUpperCase() + attribute.slice(1).replace(/_/g, ' ');
    for (const message of list) out.push(`${name} ${message}`);
  }
  return out;
}

function jsonValue<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
