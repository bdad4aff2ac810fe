import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { ApiError } from '../../common/api-error';
import { Actor } from '../../identity/actor.service';
import { SharedState } from '../../shared-state/shared-state.service';
import type { AllowedInput } from '../dto/allowed-input';
import { MESSAGES } from '../messages';
import { RepoSettings, ResolvedRepository } from '../repository.service';
import { AccessDenied } from './access-denied';

/** P2 (also step 1 of post_receive): 400 unless an absent/empty value or base64 of a JSON object. */
export function validateGitalyClientContext(params: Pick<AllowedInput, 'gitaly_client_context_bin'>): void {
  const raw = params.gitaly_client_context_bin;
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

/** The repository lookup's outcome: the repository, or the 400 of a malformed `gl_repository`. */
export interface RepositoryLookup {
  repo?: ResolvedRepository;
  error?: ApiError;
}

/** P4: a malformed `gl_repository` answers 400 (the actor and the repository were resolved together before). */
export function repositoryOrDeny(resolved: RepositoryLookup): ResolvedRepository {
  if (resolved.error) throw new AccessDenied('P4', resolved.error.status, resolved.error.body);
  return resolved.repo!;
}

/** The counter key of P3's scope (action, raw project, actor). */
export function operationLimitKey(params: Pick<AllowedInput, 'action' | 'project'>, actor: Actor): string {
  const who = actor.key ? `key:${actor.key.id}` : actor.user ? `user:${actor.user.id}` : 'anonymous';
  const scope = JSON.stringify([params.action, params.project ?? '', who]);
  return `gitlab_shell_operation:${createHash('sha256').update(scope).digest('hex')}`;
}

/**
 * P3: the per-minute operation limit of gitlab-shell. A scope's minute starts with its first operation, as in
 * GitLab's rate limiter (not at the clock's minute, where three operations within one minute could straddle two
 * counters); an unreachable counter store lets the request through.
 */
@Injectable()
export class OperationLimit {
  private readonly logger = new Logger('GitAccess');

  constructor(private readonly state: SharedState) {}

  async check(params: Pick<AllowedInput, 'action' | 'project'>, actor: Actor, settings: RepoSettings): Promise<void> {
    const limit = settings.gitlab_shell_operation_limit;
    if (!limit || limit <= 0) return;
    const key = operationLimitKey(params, actor);
    let count: number;
    try {
      count = await this.state.incrInWindow(key, 60);
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'rate limiter unavailable, request let through');
      return;
    }
    if (count > limit) throw new AccessDenied('P3', 429, { message: MESSAGES.rateLimited });
  }
}
