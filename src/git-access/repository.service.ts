import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource, EntityManager } from 'typeorm';
import { ApiError } from '../common/api-error';
import type { RepositoryRequest } from './dto/allowed-input';
import { APP_CONFIG, AppConfig, GitalyStorage } from '../config/config';
import { ProjectSql } from '../namespaces/project.sql';
import { ApplicationSettingsSql } from '../settings/application-settings.sql';
import { MESSAGES } from './messages';
import { preparedQuery } from '../database/prepared-statements';

/** A parsed `gl_repository`. */
export interface GlRepository {
  type: 'project' | 'wiki' | 'snippet' | 'design' | 'group-wiki';
  id: number;
}

/** The columns of a project (and of its namespaces) that git access needs, read in one query. */
export interface RepoProject {
  id: number;
  name: string;
  path: string;
  full_path: string;
  disk_path: string;
  namespace_id: number;
  visibility_level: number;
  repository_access_level: number;
  archived: boolean;
  repository_read_only: boolean;
  lfs_enabled: boolean;
  default_branch: string | null;
  repository_storage: string;
  printing_merge_request_link_enabled: boolean;
  creator_id: number | null;
  namespace_type: 'User' | 'Group';
  namespace_full_path: string;
  namespace_owner_id: number | null;
  root_namespace_id: number;
  root_namespace_full_path: string;
  root_enabled_git_access_protocol: string | null;
}

/** Instance settings read together with the project (one round trip on the hot path). */
export interface RepoSettings {
  enabled_git_access_protocol: string | null;
  receive_max_input_size: number | null;
  gitlab_shell_operation_limit: number;
}

export interface ResolvedRepository {
  project: RepoProject | null;
  /** The request path as sent when the project was found through a redirect route. */
  redirectedPath: string | null;
  /** The request path of rule 3 (`project` without one leading `/` and one trailing `.git`), `""` when absent. */
  requestPath: string;
  /** Which rule designated the repository: `gl_repository`, `disk_path`, `path` or none. */
  rule: 'gl_repository' | 'disk_path' | 'path' | 'none';
  /** The path names a repository type the product does not build (wiki, design, snippet). */
  excluded: boolean;
  settings: RepoSettings;
}

const GL_REPOSITORY = /^(project|wiki|snippet|design)-([0-9]+)$|^group-([0-9]+)-wiki$/;
const HASHED_PATH = /@hashed\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}/;

/** Parses `gl_repository`; `null` for a malformed value. */
export function parseGlRepository(value: string): GlRepository | null {
  const m = GL_REPOSITORY.exec(value);
  if (!m) return null;
  const id = Number(m[2] ?? m[3]);
  if (!Number.isSafeInteger(id) || id < 1) return null;
  return { type: m[1] ? (m[1] as GlRepository['type']) : 'group-wiki', id };
}

/** 400 `Invalid GL Repository "<value>"`. */
export function invalidGlRepository(value: string): ApiError {
  return new ApiError(400, { message: MESSAGES.invalidGlRepository(value) });
}

/** The request path rule 3. */
export function requestPathOf(project: string | undefined): string {
  if (!project) return '';
  let path = project.startsWith('/') ? project.slice(1) : project;
  if (path.endsWith('.git')) path = path.slice(0, -4);
  return path;
}

function excludedPath(path: string): boolean {
  return /\.(wiki|design)$/.test(path) || /^snippets\/\d+$/.test(path) || path.includes('/snippets/');
}

/** The settings columns the access procedure reads (alias `s`). */
const SETTINGS_COLUMNS =
  's.enabled_git_access_protocol AS s_protocol, s.receive_max_input_size AS s_max_input, s.gitlab_shell_operation_limit AS s_limit';

const SETTINGS_SQL = `SELECT ${SETTINGS_COLUMNS} FROM ${ApplicationSettingsSql.row('s')}`;

/** The project lookup's text per condition, built once: a prepared statement is found by its text. */
const LOOKUP_SQL = new Map<string, string>();
function lookupSql(condition: string): string {
  let sql = LOOKUP_SQL.get(condition);
  if (sql === undefined) {
    sql = `WITH RECURSIVE ${ProjectSql.liveProjectCtes(condition)}
       SELECT ${SETTINGS_COLUMNS}, x.* FROM ${ApplicationSettingsSql.row('s')} LEFT JOIN (${ProjectSql.liveProjectRow}) x ON true`;
    LOOKUP_SQL.set(condition, sql);
  }
  return sql;
}

/**
 * Repository identity: `gl_repository` parsing, resolution of the project a request designates
 * (with the instance settings in the same query), hashed storage paths and the local repository directory.
 */
@Injectable()
export class RepositoryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Resolves the repository of a request. Throws 400 for a malformed `gl_repository`. The project query also
   * returns the settings row, so the hot path spends one round trip here.
   */
  async resolve(params: RepositoryRequest, manager: EntityManager = this.dataSource.manager): Promise<ResolvedRepository> {
    const { gl_repository: glRepository, relative_path: relativePath, project: projectParam } = params;
    const requestPath = requestPathOf(projectParam);
    const base = { redirectedPath: null, requestPath, excluded: false };

    if (glRepository) {
      const parsed = parseGlRepository(glRepository);
      if (!parsed) throw invalidGlRepository(glRepository);
      if (parsed.type !== 'project') {
        return { ...base, project: null, rule: 'gl_repository', excluded: true, settings: await this.settings(manager) };
      }
      const { project, settings } = await this.lookup(manager, 'p.id = $1', [parsed.id]);
      return { ...base, project, rule: 'gl_repository', settings };
    }

    const hashedSource = relativePath ?? (projectParam?.startsWith('/') && projectParam.includes('@hashed/') ? projectParam : undefined);
    if (hashedSource !== undefined) {
      const m = HASHED_PATH.exec(hashedSource);
      if (m) {
        const after = hashedSource.slice(m.index + m[0].length);
        if (after.startsWith('.wiki.git') || after.startsWith('.design.git')) {
          return { ...base, project: null, rule: 'disk_path', excluded: true, settings: await this.settings(manager) };
        }
        const { project, settings } = await this.lookup(manager, 'p.disk_path = $1', [m[0]]);
        return { ...base, project, rule: 'disk_path', settings };
      }
      if (relativePath !== undefined && !projectParam) {
        return { ...base, project: null, rule: 'none', settings: await this.settings(manager) };
      }
    }

    if (projectParam === undefined || requestPath === '') {
      return { ...base, project: null, rule: 'none', settings: await this.settings(manager) };
    }
    if (excludedPath(requestPath)) {
      return { ...base, project: null, rule: 'path', excluded: true, settings: await this.settings(manager) };
    }
    const found = await this.lookup(manager, 'lower(p.full_path) = lower($1)', [requestPath]);
    if (found.project) return { ...base, project: found.project, rule: 'path', settings: found.settings };
    const redirected = await this.lookup(manager, ProjectSql.redirectedFrom('$1'), [requestPath]);
    return {
      ...base,
      project: redirected.project,
      redirectedPath: redirected.project ? requestPath : null,
      rule: 'path',
      settings: found.settings,
    };
  }

  /** A live project by id, with its namespaces (post_receive, LFS). */
  async projectById(id: number, manager: EntityManager = this.dataSource.manager): Promise<RepoProject | null> {
    return (await this.lookup(manager, 'p.id = $1', [id])).project;
  }

  private async lookup(
    manager: EntityManager,
    condition: string,
    args: unknown[],
  ): Promise<{ project: RepoProject | null; settings: RepoSettings }> {
    const rows = await preparedQuery(manager, lookupSql(condition), args);
    const row = rows[0] ?? {};
    const settings = this.settingsFrom(row);
    if (row.id === null || row.id === undefined) return { project: null, settings };
    const { s_protocol: _a, s_max_input: _b, s_limit: _c, ...project } = row;
    return { project: project as unknown as RepoProject, settings };
  }

  private settingsFrom(row: Record<string, unknown>): RepoSettings {
    return {
      enabled_git_access_protocol: (row.s_protocol as string | null | undefined) ?? null,
      receive_max_input_size: row.s_max_input === null || row.s_max_input === undefined ? null : Number(row.s_max_input),
      gitlab_shell_operation_limit: row.s_limit === null || row.s_limit === undefined ? 600 : Number(row.s_limit),
    };
  }

  /** The settings the access procedure reads, alone (when no project query runs). */
  async settings(manager: EntityManager = this.dataSource.manager): Promise<RepoSettings> {
    const rows = await preparedQuery(manager, SETTINGS_SQL, []);
    return this.settingsFrom(rows[0] ?? {});
  }

  storage(project: { repository_storage: string }): GitalyStorage | undefined {
    return this.config.gitalyStorages[project.repository_storage];
  }

  /** Gitaly's relative path: `<disk_path>.git`. */
  static relativePath(project: { disk_path: string }): string {
    return `${project.disk_path}.git`;
  }

  /**
   * The local repository directory when the storage has a `path`: `<path>/<relative_path>` when Gitaly
   * sent one, else `<path>/<disk_path>.git`; null without a local path.
   */
  localRepository(project: RepoProject, relativePathParam?: string): string | null {
    const storage = this.storage(project);
    if (!storage?.path) return null;
    const usable = relativePathParam && !relativePathParam.split(/[\\/]/).includes('..') && !relativePathParam.startsWith('/');
    return join(storage.path, usable ? relativePathParam : RepositoryService.relativePath(project));
  }

  localRepositoryExists(dir: string): boolean {
    return existsSync(dir);
  }

  httpUrlToRepo(fullPath: string): string {
    return `${this.config.externalUrl}/${fullPath}.git`;
  }

  sshUrlToRepo(fullPath: string): string {
    const { sshUser, sshHost, sshPort } = this.config;
    return sshPort === 22 ? `${sshUser}@${sshHost}:${fullPath}.git` : `ssh://${sshUser}@${sshHost}:${sshPort}/${fullPath}.git`;
  }

  /** The clone URL a pusher uses over `protocol`: SSH for `ssh`, else HTTP. */
  remoteUrl(protocol: string, fullPath: string): string {
    return protocol === 'ssh' ? this.sshUrlToRepo(fullPath) : this.httpUrlToRepo(fullPath);
  }

  webUrl(fullPath: string): string {
    return `${this.config.externalUrl}/${fullPath}`;
  }
}
