import { Inject, Injectable } from '@nestjs/common';
import { retryOnConflict } from '../common/retry';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { notFound, recordNotFound, unprocessable } from '../common/api-error';
import { idParam } from '../common/coerce';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Project } from '../namespaces/entities/project.entity';
import { ProjectsService } from '../namespaces/projects.service';
import { ApplicationSettingsService } from '../settings/application-settings.service';
import { ErrorTrackingClientKey } from './entities/error-tracking-client-key.entity';
import { ProjectErrorTrackingSetting } from './entities/project-error-tracking-setting.entity';
import { isStorableText } from '../common/storable-text';
import { CreateClientKeyRequest, ErrorTrackingAllowedRequest, ErrorTrackingSettingsRequest } from './dto/error-tracking.dto';

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
  async allowed(input: ErrorTrackingAllowedRequest): Promise<{ enabled: boolean }> {
    const { project_id: projectId, public_key: publicKey } = input;
    if (publicKey === undefined || projectId === undefined) throw unprocessable();
    const project = projectId
      ? await this.dataSource.getRepository(Project).findOne({ where: { id: projectId, pending_delete: false } })
      : null;
    if (!project) throw recordNotFound();
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
  async updateSettings(projectParam: string, input: ErrorTrackingSettingsRequest): Promise<ErrorTrackingSettingBody> {
    const project = await this.findProject(projectParam);
    const changes: { enabled: boolean; integrated?: boolean } = { enabled: input.active };
    if (input.integrated !== undefined) changes.integrated = input.integrated;
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
  async createClientKey(projectParam: string, input: CreateClientKeyRequest): Promise<ClientKeyBody> {
    const active = input.active;
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
