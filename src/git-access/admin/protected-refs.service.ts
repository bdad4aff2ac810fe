import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { ApiError, conflict, modelError, paramError, recordNotFound } from '../../common/api-error';
import { uniqueViolation } from '../../common/db-errors';
import { Key } from '../../identity/entities/key.entity';
import { DeployKeyProject } from '../entities/deploy-key-project.entity';
import {
  PROTECTED_REF_LEVELS,
  ProtectedBranch,
  ProtectedBranchMergeAccessLevel,
  ProtectedBranchPushAccessLevel,
  ProtectedTag,
  ProtectedTagCreateAccessLevel,
} from '../entities/protected-refs.entity';

/** One entry of `allowed_to_push` / `allowed_to_merge` / `allowed_to_create`. */
export type AccessLevelSpec = { access_level: number } | { deploy_key_id: number };

export interface AccessLevelView {
  id: number;
  access_level: number | null;
  access_level_description: string;
  deploy_key_id: number | null;
}

export interface ProtectedBranchView {
  id: number;
  name: string;
  push_access_levels: AccessLevelView[];
  merge_access_levels: AccessLevelView[];
  allow_force_push: boolean;
}

export interface ProtectedTagView {
  name: string;
  create_access_levels: AccessLevelView[];
}

const LEVEL_DESCRIPTIONS: Record<number, string> = { 0: 'No one', 30: 'Developers + Maintainers', 40: 'Maintainers', 60: 'Admins' };

/** Checks a level value (0, 30, 40, 60); otherwise 400 `<param> does not have a valid value`. */
export function protectedLevel(value: unknown, param: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!(PROTECTED_REF_LEVELS as readonly number[]).includes(n)) throw paramError(`${param} does not have a valid value`);
  return n;
}

/** Parses an `allowed_to_*` array; invalid shapes → 400 `<param> is invalid`. */
export function accessLevelSpecs(value: unknown, param: string, allowDeployKeys: boolean): AccessLevelSpec[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = Array.isArray(value) ? value : typeof value === 'object' ? Object.values(value as object) : null;
  if (!list) throw paramError(`${param} is invalid`);
  return list.map((entry) => {
    if (!entry || typeof entry !== 'object') throw paramError(`${param} is invalid`);
    const e = entry as Record<string, unknown>;
    if (allowDeployKeys && e.deploy_key_id !== undefined && e.deploy_key_id !== null) {
      const id = typeof e.deploy_key_id === 'number' ? e.deploy_key_id : Number(String(e.deploy_key_id).trim());
      if (!Number.isSafeInteger(id) || id < 1) throw paramError(`${param} is invalid`);
      return { deploy_key_id: id };
    }
    const level = protectedLevel(e.access_level, `${param}[access_level]`);
    if (level === undefined) throw paramError(`${param} is invalid`);
    return { access_level: level };
  });
}

/** Protected branches and tags with their access levels. */
@Injectable()
export class ProtectedRefsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async createBranch(
    projectId: number,
    input: { name: string; push: AccessLevelSpec[]; merge: AccessLevelSpec[]; allowForcePush: boolean },
  ): Promise<ProtectedBranchView> {
    try {
      return await this.dataSource.transaction(async (m) => {
        if (await m.getRepository(ProtectedBranch).exists({ where: { project_id: projectId, name: input.name } }))
          throw conflict(`Protected branch '${input.name}' already exists`);
        await this.checkDeployKeys(m, projectId, input.push, 'push_access_levels.deploy_key');
        const branch = await m.getRepository(ProtectedBranch).save({ project_id: projectId, name: input.name, allow_force_push: input.allowForcePush });
        await this.addPushLevels(m, branch.id, input.push);
        for (const spec of input.merge) {
          if ('access_level' in spec) await m.getRepository(ProtectedBranchMergeAccessLevel).save({ protected_branch_id: branch.id, access_level: spec.access_level });
        }
        return this.branchView(m, branch);
      });
    } catch (err) {
      if (uniqueViolation(err) !== null) throw conflict(`Protected branch '${input.name}' already exists`);
      throw err;
    }
  }

  /** `allow_force_push` and extra `allowed_to_push` entries of an existing rule; unknown → 404 `Not found`. */
  async updateBranch(projectId: number, name: string, changes: { allowForcePush?: boolean; push?: AccessLevelSpec[] }): Promise<ProtectedBranchView> {
    return this.dataSource.transaction(async (m) => {
      const branch = await m.getRepository(ProtectedBranch).findOne({ where: { project_id: projectId, name } });
      if (!branch) throw recordNotFound();
      if (changes.allowForcePush !== undefined && changes.allowForcePush !== branch.allow_force_push) {
        branch.allow_force_push = changes.allowForcePush;
        await m.getRepository(ProtectedBranch).update(branch.id, { allow_force_push: changes.allowForcePush });
      }
      if (changes.push?.length) {
        await this.checkDeployKeys(m, projectId, changes.push, 'push_access_levels.deploy_key');
        await this.addPushLevels(m, branch.id, changes.push);
      }
      return this.branchView(m, branch);
    });
  }

  async findBranch(projectId: number, name: string): Promise<ProtectedBranchView> {
    const branch = await this.dataSource.getRepository(ProtectedBranch).findOne({ where: { project_id: projectId, name } });
    if (!branch) throw recordNotFound();
    return this.branchView(this.dataSource.manager, branch);
  }

  async deleteBranch(projectId: number, name: string): Promise<void> {
    const result = await this.dataSource.getRepository(ProtectedBranch).delete({ project_id: projectId, name });
    if (!result.affected) throw recordNotFound();
  }

  async createTag(projectId: number, input: { name: string; create: AccessLevelSpec[] }): Promise<ProtectedTagView> {
    try {
      return await this.dataSource.transaction(async (m) => {
        if (await m.getRepository(ProtectedTag).exists({ where: { project_id: projectId, name: input.name } }))
          throw conflict(`Protected tag '${input.name}' already exists`);
        await this.checkDeployKeys(m, projectId, input.create, 'create_access_levels.deploy_key');
        const tag = await m.getRepository(ProtectedTag).save({ project_id: projectId, name: input.name });
        for (const spec of input.create) {
          await m.getRepository(ProtectedTagCreateAccessLevel).save({
            protected_tag_id: tag.id,
            access_level: 'access_level' in spec ? spec.access_level : null,
            deploy_key_id: 'deploy_key_id' in spec ? spec.deploy_key_id : null,
          });
        }
        return this.tagView(m, tag);
      });
    } catch (err) {
      if (uniqueViolation(err) !== null) throw conflict(`Protected tag '${input.name}' already exists`);
      throw err;
    }
  }

  async findTag(projectId: number, name: string): Promise<ProtectedTagView> {
    const tag = await this.dataSource.getRepository(ProtectedTag).findOne({ where: { project_id: projectId, name } });
    if (!tag) throw recordNotFound();
    return this.tagView(this.dataSource.manager, tag);
  }

  async deleteTag(projectId: number, name: string): Promise<void> {
    const result = await this.dataSource.getRepository(ProtectedTag).delete({ project_id: projectId, name });
    if (!result.affected) throw recordNotFound();
  }

  private async addPushLevels(m: EntityManager, branchId: number, specs: AccessLevelSpec[]): Promise<void> {
    for (const spec of specs) {
      await m.getRepository(ProtectedBranchPushAccessLevel).save({
        protected_branch_id: branchId,
        access_level: 'access_level' in spec ? spec.access_level : null,
        deploy_key_id: 'deploy_key_id' in spec ? spec.deploy_key_id : null,
      });
    }
  }

  /** A deploy key in a rule must be enabled on the project with `can_push`. */
  private async checkDeployKeys(m: EntityManager, projectId: number, specs: AccessLevelSpec[], attribute: string): Promise<void> {
    const ids = specs.flatMap((s) => ('deploy_key_id' in s ? [s.deploy_key_id] : []));
    if (!ids.length) return;
    const links = await m.getRepository(DeployKeyProject).find({ where: { project_id: projectId, deploy_key_id: In(ids), can_push: true } });
    const enabled = new Set(links.map((l) => Number(l.deploy_key_id)));
    if (ids.some((id) => !enabled.has(id))) throw modelError({ [attribute]: ['is not enabled for this project'] });
  }

  private async levelViews(
    m: EntityManager,
    rows: { id: number; access_level: number | null; deploy_key_id?: number | null }[],
  ): Promise<AccessLevelView[]> {
    const keyIds = rows.flatMap((r) => (r.deploy_key_id ? [r.deploy_key_id] : []));
    const keys = keyIds.length ? await m.getRepository(Key).find({ where: { id: In(keyIds) } }) : [];
    const titles = new Map(keys.map((k) => [Number(k.id), k.title]));
    return rows
      .sort((a, b) => Number(a.id) - Number(b.id))
      .map((r) => ({
        id: Number(r.id),
        access_level: r.access_level === null ? null : Number(r.access_level),
        access_level_description: r.deploy_key_id ? (titles.get(Number(r.deploy_key_id)) ?? 'Deploy key') : LEVEL_DESCRIPTIONS[Number(r.access_level)],
        deploy_key_id: r.deploy_key_id ? Number(r.deploy_key_id) : null,
      }));
  }

  private async branchView(m: EntityManager, branch: ProtectedBranch): Promise<ProtectedBranchView> {
    const push = await m.getRepository(ProtectedBranchPushAccessLevel).find({ where: { protected_branch_id: branch.id } });
    const merge = await m.getRepository(ProtectedBranchMergeAccessLevel).find({ where: { protected_branch_id: branch.id } });
    return {
      id: Number(branch.id),
      name: branch.name,
      push_access_levels: await this.levelViews(m, push),
      merge_access_levels: await this.levelViews(m, merge.map((l) => ({ ...l, deploy_key_id: null }))),
      allow_force_push: branch.allow_force_push,
    };
  }

  private async tagView(m: EntityManager, tag: ProtectedTag): Promise<ProtectedTagView> {
    const create = await m.getRepository(ProtectedTagCreateAccessLevel).find({ where: { protected_tag_id: tag.id } });
    return { name: tag.name, create_access_levels: await this.levelViews(m, create) };
  }
}

export { ApiError };
