import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiError } from '../common/api-error';
import { AllowedInput } from './dto/allowed-input';
import { APP_CONFIG, AppConfig } from '../config/config';
import { ReadReplicas } from '../database/read-replicas';
import { ActorService } from '../identity/actor.service';
import { counter } from '../instance/metrics';
import { AccessService } from '../namespaces/access.service';
import { NamespaceTreeRepository } from '../namespaces/namespace-tree.repository';
import { canMaintain, canPushCode, canReadProject } from './abilities';
import { AccessDenied } from './checks/access-denied';
import { AccessLookups, LookupSources } from './checks/access-lookups';
import { checkCommand, checkKeyValidity, checkProtocol, checkUserState } from './checks/actor-checks';
import { allowedBody } from './checks/allowed-response';
import { checkChange, checkChangesWithinBudget } from './checks/change-access';
import { DeployKeyLinksRepository } from './checks/deploy-key-links.repository';
import { PostPushMessages } from './checks/post-push-messages';
import { ProjectAutoCreation } from './checks/project-auto-creation.service';
import {
  checkCertificateNamespace,
  checkDownload,
  checkNamespaceInPath,
  checkRepositoryExists,
  checkVisibility,
  existingProject,
} from './checks/project-checks';
import { ProtectedRefsRepository } from './checks/protected-refs.repository';
import {
  checkDeployKeyWritable,
  checkNotAnonymous,
  checkNotArchived,
  checkNotReadOnly,
  checkPushAny,
} from './checks/push-access-checks';
import { RefAccess } from './checks/ref-access';
import { AccessContext, buildAccessContext } from './checks/request-context';
import { OperationLimit, RepositoryLookup, repositoryOrDeny, validateGitalyClientContext } from './checks/request-checks';
import { GitHistoryService } from './git-history.service';
import { RepoProject, RepositoryService } from './repository.service';

const deniedCounter = counter('gitlab_internal_allowed_denied_total', 'Denied /allowed and git audit decisions by reason code', ['reason']);

export interface AllowedResult {
  body: Record<string, unknown>;
}

/**
 * The `/allowed` decision procedure, in its exact order: request-level steps P1–P5, access steps G1–G14, and
 * per-change rules C1, B1–B10, T1–T8. Each step is a small unit of `checks/`; this service composes them and
 * owns the request's reads. The same procedure answers the git audit event without its success payload.
 */
@Injectable()
export class AccessCheckerService {
  private readonly logger = new Logger('GitAccess');
  private readonly sources: LookupSources;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly actors: ActorService,
    private readonly repositories: RepositoryService,
    access: AccessService,
    tree: NamespaceTreeRepository,
    deployKeyLinks: DeployKeyLinksRepository,
    private readonly protectedRefs: ProtectedRefsRepository,
    private readonly operationLimit: OperationLimit,
    private readonly autoCreation: ProjectAutoCreation,
    private readonly messages: PostPushMessages,
    private readonly git: GitHistoryService,
    private readonly replicas: ReadReplicas,
  ) {
    this.sources = { dataSource, replicas, access, deployKeyLinks, tree };
  }

  /** Runs the procedure; resolves with the success body or throws the first failure (counted and logged). */
  async check(params: AllowedInput, options: { audit?: boolean; requestId?: unknown } = {}): Promise<AllowedResult> {
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

  private async run(params: AllowedInput, audit: boolean, requestId: unknown): Promise<AllowedResult> {
    // P1 (authentication) ran in the guard; P2:
    validateGitalyClientContext(params);
    // reads go to a read replica in rotation until the request writes something it reads again (G7)
    const [actor, resolved] = await Promise.all([this.replicas.read((m) => this.actors.resolve(params, m)), this.resolveRepository(params)]);
    const settings = resolved.repo?.settings ?? (await this.replicas.read((m) => this.repositories.settings(m)));
    await this.operationLimit.check(params, actor, settings); // P3
    const repo = repositoryOrDeny(resolved); // P4
    await this.actors.touchKey(actor); // P5: key last-used tracking, then the request's facts
    const ctx = buildAccessContext(params, actor, repo, settings, { audit, requestId });
    const lookups = new AccessLookups(this.sources, ctx.deployKey ? ctx.deployKey.id : null);

    checkProtocol(ctx); // G1
    checkKeyValidity(ctx); // G2
    checkUserState(ctx, this.config.externalUrl); // G3
    checkCommand(ctx); // G4
    await checkCertificateNamespace(ctx, lookups); // G5
    checkNamespaceInPath(ctx); // G6
    await this.autoCreation.run(ctx, lookups); // G7
    const project = existingProject(ctx); // G8
    await checkVisibility(ctx, project, lookups); // G9
    await this.messages.projectMoved(ctx, project); // G10
    checkRepositoryExists(ctx, project, this.repositories); // G11
    await checkDownload(ctx, project, lookups); // G12
    if (ctx.push) {
      checkNotReadOnly(project); // G13a
      checkNotArchived(project); // G13b
      await checkDeployKeyWritable(ctx, project, lookups); // G13c
      checkNotAnonymous(ctx); // G13d
      await checkPushAny(ctx, project, lookups); // G13e
      if (!ctx.any) {
        // G13f
        const access = await this.refAccess(ctx, project, lookups);
        await checkChangesWithinBudget(ctx.lines, (line) => checkChange(access, this.git, line));
      }
    }
    return { body: allowedBody(ctx, project, this.repositories.storage(project)) }; // G14
  }

  private async resolveRepository(params: AllowedInput): Promise<RepositoryLookup> {
    try {
      return { repo: await this.replicas.read((m) => this.repositories.resolve(params, m)) };
    } catch (err) {
      if (err instanceof ApiError) return { error: err };
      throw err;
    }
  }

  /** The capabilities the per-change rules check, as the user whose roles count: the pusher, or a deploy key's creator. */
  private async refAccess(ctx: AccessContext, project: RepoProject, lookups: AccessLookups): Promise<RefAccess> {
    const refUser = ctx.actor.user;
    const level = refUser ? await lookups.level(refUser, project) : 0;
    const link = ctx.deployKey ? await lookups.deployKeyLink(project) : null;
    // a kind of rule no change line touches is not read: a push of branches only needs no tag rules
    const touches = (prefix: string) => ctx.lines.some((line) => line.ref.startsWith(prefix));
    const [branches, tags] = await Promise.all([
      touches('refs/heads/') ? lookups.read((m) => this.protectedRefs.branchRules(project.id, m)) : [],
      touches('refs/tags/') ? lookups.read((m) => this.protectedRefs.tagRules(project.id, m)) : [],
    ]);
    const local = this.repositories.localRepository(project, ctx.params.relative_path);
    const history = local && this.repositories.localRepositoryExists(local) ? local : null;
    const userPush = canPushCode(project, refUser, level);
    const canPush = ctx.deployKey
      ? !!link?.can_push && !!refUser && refUser.state === 'active' && canReadProject(project, refUser, level)
      : userPush;
    return {
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
      externalUrl: this.config.externalUrl,
    };
  }
}
