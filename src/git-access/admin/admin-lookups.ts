import { notFound } from '../../common/api-error';
import { idParam } from '../../common/coerce';
import { Project } from '../../namespaces/entities/project.entity';
import { ProjectsService } from '../../namespaces/projects.service';

/** `:id` of a project: numeric id or URL-encoded full path; unknown → 404 `Project Not Found`. */
export async function findProjectOr404(projects: ProjectsService, id: string): Promise<Project> {
  const project = await projects.find(id.trim());
  if (!project) throw notFound('Project');
  return project;
}

/** A path id (`:key_id`): positive integer, else 404 with the given resource. */
export function pathId(value: string, resource: string): number {
  const id = idParam(value);
  if (!id) throw notFound(resource);
  return id;
}

/** The consumers every git-access admin route names in its description. */
export const ADMIN_CONSUMERS = 'Known consumers: operators and test harnesses (fixtures for the shell/Gitaly internal routes).';
