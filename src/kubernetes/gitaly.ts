import { AppConfig } from '../config/config';
import { Project } from '../namespaces/entities/project.entity';

/** Gitaly connection info of a project's storage; features are strings only. */
export function gitalyInfo(config: AppConfig, project: Project): { address: string; token: string; features: Record<string, string> } {
  const storage = config.gitalyStorages[project.repository_storage] ?? config.gitalyStorages[config.defaultRepositoryStorage];
  return { address: storage?.address ?? '', token: storage?.token ?? '', features: {} };
}

/** The Gitaly repository of a project, as `/internal/allowed` describes it. */
export function gitalyRepository(project: Project) {
  return {
    storage_name: project.repository_storage,
    relative_path: `${project.disk_path}.git`,
    git_object_directory: '',
    git_alternate_object_directories: [] as string[],
    gl_repository: `project-${project.id}`,
    gl_project_path: project.full_path,
  };
}

/** `default_branch`, or `main` for an empty repository (kas rejects an empty string). */
export const defaultBranch = (project: Project): string => (project.default_branch ? project.default_branch : 'main');
