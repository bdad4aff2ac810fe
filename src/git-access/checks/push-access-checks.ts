import { canPushCode } from '../abilities';
import { MESSAGES } from '../messages';
import { RepoProject } from '../repository.service';
import { deny } from './access-denied';
import { ProjectAccessFacts } from './access-lookups';
import { AccessContext } from './request-context';

/** The access steps of a push as a whole, before its change lines (G13a–G13e). */

/** G13a: a read-only repository takes no push. */
export function checkNotReadOnly(project: RepoProject): void {
  if (project.repository_read_only) throw deny('G13a', MESSAGES.readOnly);
}

/** G13b: an archived project takes no push. */
export function checkNotArchived(project: RepoProject): void {
  if (project.archived) throw deny('G13b', MESSAGES.archived);
}

/** G13c: a deploy key pushes only where it is writable. */
export async function checkDeployKeyWritable(ctx: Pick<AccessContext, 'deployKey'>, project: RepoProject, facts: ProjectAccessFacts): Promise<void> {
  if (!ctx.deployKey) return;
  if (!(await facts.deployKeyLink(project))?.can_push) throw deny('G13c', MESSAGES.deployKeyReadOnly);
}

/** G13d: nobody pushes anonymously. */
export function checkNotAnonymous(ctx: Pick<AccessContext, 'key' | 'user'>): void {
  if (!ctx.key && !ctx.user) throw deny('G13d', MESSAGES.uploadNotAllowed);
}

/** G13e: a push without real changes needs `push_code` (a writable deploy key passed G13c). */
export async function checkPushAny(ctx: Pick<AccessContext, 'any' | 'deployKey' | 'user'>, project: RepoProject, facts: ProjectAccessFacts): Promise<void> {
  if (!ctx.any || ctx.deployKey) return;
  if (!canPushCode(project, ctx.user, await facts.level(ctx.user, project))) throw deny('G13e', MESSAGES.pushNotAllowed);
}
