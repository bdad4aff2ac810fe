import { Inject, Injectable } from '@nestjs/common';
import { retryOnConflict } from '../common/retry';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { notFound, paramError, recordNotFound, unprocessable } from '../common/api-error';
import { boolParam, idParam, INVALID, isPresent, stringParam } from '../common/coerce';
import { RawParams } from '../common/params.decorator';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Project } from '../namespaces/entities/project.entity';
import { ProjectsService } from '../namespaces/projects.service';
import { ApplicationSettingsService } from '../settings/application-settings.service';
import { ErrorTrackingClientKey } from './entities/error-tracking-client-key.entity';
import { ProjectErrorTrackingSetting } from './entities/project-error-tracking-setting.entity';
import { isStorableText } from '../common/storable-text';

export interface ErrorTrackingSettingBody {
  active: boolean;
  project_name: string;
  sentry_external_url: null;
  api_url: null;
  integrated: boolean;
}

export interface ClientKeyBody {
  id: number;
  active: boolean;
  public_key: string;
  sentry_dsn: string;
}

const blank = (value: unknown): boolean => {
  if (!isPresent(value)) return true;
  const text = stringParam(value);
  return text === undefined || text.trim() === '';
};

/** `/error_tracking/allowed` and the project settings and client keys behind it. */
@Injectable()
export class ErrorTrackingService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly projects: ProjectsService,
    private readonly settings: ApplicationSettingsService,
  ) {}

  /** Whether a DSN key may submit errors: instance switch, project switch and an active key of the project. */
  async allowed(params: RawParams): Promise<{ enabled: boolean }> {
    if (blank(params.public_key) || blank(params.project_id)) throw unprocessable();
    const projectId = idParam(params.project_id);
    const project = projectId
      ? await this.dataSource.getRepository(Project).findOne({ where: { id: projectId, pending_delete: false } })
      : null;
    if (!project) throw recordNotFound();
    const publicKey = stringParam(params.public_key)!;
    const settings = await this.settings.current();
    if (!settings.error_tracking_enabled || !isStorableText(publicKey)) return { enabled: false };
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM error_tracking_client_keys k
       JOIN project_error_tracking_settings s ON s.project_id = k.project_id
       WHERE k.project_id = $1 AND k.public_key = $2 AND k.active AND s.enabled AND s.integrated LIMIT 1`,
      [project.id, publicKey],
    );
    return { enabled: rows.length > 0 };
  }

  /** Admin: create or update a project's settings (`active` required, `integrated` optional). */
  async updateSettings(projectParam: string, params: RawParams): Promise<ErrorTrackingSettingBody> {
    const active = boolParam(params.active);
    const integrated = boolParam(params.integrated);
    if (active === undefined) throw paramError('active is missing');
    const invalid = [active === INVALID ? 'active is invalid' : null, integrated === INVALID ? 'integrated is invalid' : null].filter(
      (e): e is string => e !== null,
    );
    if (invalid.length) throw paramError(...invalid);
    const project = await this.findProject(projectParam);
    const changes: { enabled: boolean; integrated?: boolean } = { enabled: active as boolean };
    if (integrated !== undefined) changes.integrated = integrated as boolean;
    const row = await this.dataSource.transaction(async (m) => {
      await m.query(`INSERT INTO project_error_tracking_settings (project_id) VALUES ($1) ON CONFLICT (project_id) DO NOTHING`, [
        project.id,
      ]);
      await m.getRepository(ProjectErrorTrackingSetting).update({ project_id: project.id }, changes);
      return m.getRepository(ProjectErrorTrackingSetting).findOneOrFail({ where: { project_id: project.id } });
    });
    return { active: row.enabled, project_name: project.name, sentry_external_url: null, api_url: null, integrated: row.integrated };
  }

  /** Admin: a new DSN key `glet_` + 32 lowercase hex (ext `active`, default true). */
  async createClientKey(projectParam: string, params: RawParams): Promise<ClientKeyBody> {
    const active = boolParam(params.active);
    if (active === INVALID) throw paramError('active is invalid');
    const project = await this.findProject(projectParam);
    const repo = this.dataSource.getRepository(ErrorTrackingClientKey);
    // a collision of 128 random bits: draw again
    const key = await retryOnConflict(
      () => repo.save(repo.create({ project_id: project.id, public_key: `glet_${randomBytes(16).toString('hex')}`, active: active ?? true })),
      { attempts: 3 },
    );
    return this.clientKeyBody(key);
  }

  async deleteClientKey(projectParam: string, keyParam: string): Promise<void> {
    const project = await this.findProject(projectParam);
    const id = idParam(keyParam);
    const result = id
      ? await this.dataSource.getRepository(ErrorTrackingClientKey).delete({ id, project_id: project.id })
      : { affected: 0 };
    if (!result.affected) throw recordNotFound();
  }

  /** `<scheme>://<public_key>@<host[:port]>/api/v4/error_tracking/collector/<project id>`. */
  private clientKeyBody(key: ErrorTrackingClientKey): ClientKeyBody {
    const url = new URL(this.config.externalUrl);
    return {
      id: Number(key.id),
      active: key.active,
      public_key: key.public_key,
      sentry_dsn: `${url.protocol}//${key.public_key}@${url.host}/api/v4/error_tracking/collector/${key.project_id}`,
    };
  }

  private async findProject(param: string): Promise<Project> {
    const project = /^\d+$/.test(param) && idParam(param) === null ? null : await this.projects.find(param);
    if (!project) throw notFound('Project');
    return project;
  }
}
