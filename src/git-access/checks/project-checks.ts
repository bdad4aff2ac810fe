import { canDownloadCode, canReadProject } from '../abilities';
import { MESSAGES } from '../messages';
import { RepoProject, RepositoryService } from '../repository.service';
import { deny } from './access-denied';
import { AccessLookups, ProjectAccessFacts } from './access-lookups';
import { AccessContext, splitRequestPath } from './request-context';

/** The access steps about the project: namespace, existence, visibility, repository, download (G5, G6, G8, G9, G11, G12). */

/**
 * G5: an SSH-certificate login (`namespace_path`) only reaches projects under that top-level group.
 * Without a project, the root is that of the namespace the request path names (none: the step passes).
 */
export async function checkCertificateNamespace(
  ctx: Pick<AccessContext, 'params' | 'any' | 'project' | 'repo'>,
  namespaces: Pick<AccessLookups, 'namespaceByPath'>,
): Promise<void> {
  const namespacePath = ctx.params.namespace_path;
  if (!ctx.any || !namespacePath) return;
  let rootFullPath: string | null;
  if (ctx.project) {
    rootFullPath = ctx.project.root_namespace_full_path;
  } else {
    const split = splitRequestPath(ctx.repo.requestPath);
    rootFullPath = split ? ((await namespaces.namespaceByPath(split.namespace))?.root_full_path ?? null) : null;
  }
  if (rootFullPath !== null && rootFullPath.toLowerCase() !== namespacePath.toLowerCase()) {
    throw deny('G5', MESSAGES.namespaceNotAllowed);
  }
}

/** G6: without a project, the request path must name a namespace and a project. */
export function checkNamespaceInPath(ctx: Pick<AccessContext, 'project' | 'repo'>): void {
  if (ctx.project) return;
  if (!splitRequestPath(ctx.repo.requestPath)) throw deny('G6', MESSAGES.namespaceNotFound, 404);
}

/** G8: the project exists. */
export function existingProject(ctx: Pick<AccessContext, 'project'>): RepoProject {
  if (!ctx.project) throw deny('G8', MESSAGES.projectNotFound, 404);
  return ctx.project;
}

/** G9: the actor may read the project (a deploy key: enabled on it, or the project is public). */
export async function checkVisibility(ctx: Pick<AccessContext, 'deployKey' | 'user'>, project: RepoProject, facts: ProjectAccessFacts): Promise<void> {
  let readable: boolean;
  if (ctx.deployKey) {
    readable = !!(await facts.deployKeyLink(project)) || canReadProject(project, null, 0);
  } else {
    readable = canReadProject(project, ctx.user, await facts.level(ctx.user, project));
  }
  if (!readable) throw deny('G9', MESSAGES.projectNotFound, 404);
}

/** G11: with a local storage path, the repository directory must exist. */
export function checkRepositoryExists(
  ctx: Pick<AccessContext, 'params'>,
  project: RepoProject,
  repositories: Pick<RepositoryService, 'localRepository' | 'localRepositoryExists'>,
): void {
  const local = repositories.localRepository(project, ctx.params.relative_path);
  if (local && !repositories.localRepositoryExists(local)) throw deny('G11', MESSAGES.repositoryNotFound, 404);
}

/** G12: downloads need `download_code` (a deploy key: enabled and the repository not disabled). */
export async function checkDownload(
  ctx: Pick<AccessContext, 'download' | 'deployKey' | 'user'>,
  project: RepoProject,
  facts: ProjectAccessFacts,
): Promise<void> {
  if (!ctx.download) return;
  let allowed: boolean;
  if (ctx.deployKey) {
    allowed = (!!(await facts.deployKeyLink(project)) && project.repository_access_level !== 0) || canDownloadCode(project, null, 0);
  } else {
    allowed = canDownloadCode(project, ctx.user, await facts.level(ctx.user, project));
  }
  if (!allowed) throw deny('G12', MESSAGES.downloadNotAllowed);
}
