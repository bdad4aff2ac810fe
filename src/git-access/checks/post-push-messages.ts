import { Injectable, Logger } from '@nestjs/common';
import { SharedState } from '../../shared-state/shared-state.service';
import { MESSAGES } from '../messages';
import { RepoProject, RepositoryService } from '../repository.service';
import { AccessContext } from './request-context';

/** How long a notice left by `/allowed` waits for the push's post_receive. */
const ONE_SHOT_TTL = 300;

/** The key of the "project created" notice, read once by post_receive. */
export const projectCreatedKey = (userId: number, glRepository: string) => `project_created:${userId}:${glRepository}`;

/** The key of the "project moved" notice, read once by post_receive. */
export const projectMovedKey = (userId: number, glRepository: string) => `redirect_namespace:${userId}:${glRepository}`;

/**
 * Notices `/allowed` leaves for the push's post_receive to show once: the project was created by this push, or it
 * was reached through its old path. A store failure is logged; the push goes on without the notice.
 */
@Injectable()
export class PostPushMessages {
  private readonly logger = new Logger('GitAccess');

  constructor(
    private readonly state: SharedState,
    private readonly repositories: RepositoryService,
  ) {}

  async projectCreated(userId: number, project: RepoProject, protocol: string): Promise<void> {
    const url = this.repositories.remoteUrl(protocol, project.full_path);
    await this.store(
      projectCreatedKey(userId, `project-${project.id}`),
      MESSAGES.projectCreated(project.full_path, url, this.repositories.webUrl(project.full_path)),
    );
  }

  /** G10: a project reached through a redirect route leaves a notice (not for the git audit event). */
  async projectMoved(ctx: Pick<AccessContext, 'redirectedPath' | 'actor' | 'audit' | 'protocol'>, project: RepoProject): Promise<void> {
    if (!ctx.redirectedPath || !ctx.actor.user || ctx.audit) return;
    const url = this.repositories.remoteUrl(ctx.protocol, project.full_path);
    await this.store(projectMovedKey(ctx.actor.user.id, `project-${project.id}`), MESSAGES.projectMoved(ctx.redirectedPath, project.full_path, url));
  }

  private async store(key: string, value: string): Promise<void> {
    try {
      await this.state.set(key, value, ONE_SHOT_TTL);
    } catch (err) {
      this.logger.warn({ err: (err as Error).message, key }, 'one-shot message not stored');
    }
  }
}
