import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Queryable } from '../../common/queryable';
import { preparedQuery } from '../../database/prepared-statements';

/** Whether a deploy key is enabled on a project, and whether it may push there. */
@Injectable()
export class DeployKeyLinksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The link of the key to the project, or null when the key is not enabled there. */
  async linkOf(deployKeyId: number, projectId: number, q: Queryable = this.dataSource): Promise<{ can_push: boolean } | null> {
    const rows = await preparedQuery<{ can_push: boolean }>(
      q,
      `SELECT can_push FROM deploy_keys_projects WHERE deploy_key_id = $1 AND project_id = $2`,
      [deployKeyId, projectId],
    );
    return rows[0] ?? null;
  }
}
