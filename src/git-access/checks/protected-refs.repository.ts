import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Queryable } from '../../common/queryable';
import { preparedQuery } from '../../database/prepared-statements';

/** Who an access-level row admits: a role (30, 40, 60 = admin) or one deploy key. */
export interface AccessLevelRow {
  access_level: number | null;
  deploy_key_id: number | null;
}

export interface ProtectedBranchRule {
  name: string;
  allow_force_push: boolean;
  push: AccessLevelRow[];
  merge: number[];
}

export interface ProtectedTagRule {
  name: string;
  create: AccessLevelRow[];
}

/** A project's protected branches and tags with their access levels, each kind in one query. */
@Injectable()
export class ProtectedRefsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async branchRules(projectId: number, q: Queryable = this.dataSource): Promise<ProtectedBranchRule[]> {
    const rows = await preparedQuery<{ name: string; allow_force_push: boolean; push: unknown; merge: unknown }>(
      q,
      `SELECT b.name, b.allow_force_push,
         (SELECT coalesce(json_agg(json_build_object('access_level', l.access_level, 'deploy_key_id', l.deploy_key_id)), '[]'::json)
            FROM protected_branch_push_access_levels l WHERE l.protected_branch_id = b.id) AS push,
         (SELECT coalesce(json_agg(l.access_level), '[]'::json) FROM protected_branch_merge_access_levels l WHERE l.protected_branch_id = b.id) AS merge
       FROM protected_branches b WHERE b.project_id = $1`,
      [projectId],
    );
    return rows.map((r) => ({
      name: r.name,
      allow_force_push: r.allow_force_push,
      push: accessLevelRows(r.push),
      merge: jsonValue<number[]>(r.merge).map(Number),
    }));
  }

  async tagRules(projectId: number, q: Queryable = this.dataSource): Promise<ProtectedTagRule[]> {
    const rows = await preparedQuery<{ name: string; create: unknown }>(
      q,
      `SELECT t.name,
         (SELECT coalesce(json_agg(json_build_object('access_level', l.access_level, 'deploy_key_id', l.deploy_key_id)), '[]'::json)
            FROM protected_tag_create_access_levels l WHERE l.protected_tag_id = t.id) AS create
       FROM protected_tags t WHERE t.project_id = $1`,
      [projectId],
    );
    return rows.map((r) => ({ name: r.name, create: accessLevelRows(r.create) }));
  }
}

/** The JSON array of access-level rows, with numbers as numbers. */
function accessLevelRows(value: unknown): AccessLevelRow[] {
  return jsonValue<AccessLevelRow[]>(value).map((l) => ({
    access_level: l.access_level === null ? null : Number(l.access_level),
    deploy_key_id: l.deploy_key_id === null ? null : Number(l.deploy_key_id),
  }));
}

function jsonValue<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
