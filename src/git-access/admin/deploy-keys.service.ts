import { Injectable } from '@nestjs/common';
import { retryOnConflict } from '../../common/retry';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { modelError, notFound } from '../../common/api-error';
import { isoTimestamp } from '../../common/coerce';
import { Key } from '../../identity/entities/key.entity';
import { KeysService } from '../../identity/keys.service';
import { parseSshPublicKey } from '../../identity/ssh-key';
import { DeployKeyProject } from '../entities/deploy-key-project.entity';

export interface DeployKeyInput {
  title: string;
  key: string;
  expiresAt?: Date | null;
  /** The creator. */
  userId: number | null;
}

export interface DeployKeyView {
  id: number;
  title: string;
  key: string;
  fingerprint: string;
  fingerprint_sha256: string;
  usage_type: string;
  created_at: string | null;
  expires_at: string | null;
  can_push?: boolean;
}

/** Deploy keys and their enablement on projects. */
@Injectable()
export class DeployKeysService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: KeysService,
  ) {}

  static view(key: Key, link?: { can_push: boolean }): DeployKeyView {
    const view: DeployKeyView = {
      id: Number(key.id),
      title: key.title,
      key: key.key,
      fingerprint: key.fingerprint,
      fingerprint_sha256: key.fingerprint_sha256,
      usage_type: key.usage_type,
      created_at: isoTimestamp(key.created_at),
      expires_at: isoTimestamp(key.expires_at),
    };
    if (link) view.can_push = link.can_push;
    return view;
  }

  /** A deploy key enabled nowhere. */
  create(input: DeployKeyInput, manager?: EntityManager): Promise<Key> {
    return this.keys.add({ type: 'DeployKey', userId: input.userId, title: input.title, key: input.key, expiresAt: input.expiresAt ?? null }, manager);
  }

  /**
   * Creates a deploy key and enables it on the project in one transaction; the material of an existing deploy
   * key enables that key instead (already enabled: unchanged); the material of a user key → 400.
   */
  async createForProject(projectId: number, input: DeployKeyInput & { canPush: boolean }): Promise<DeployKeyView> {
    const parsed = parseSshPublicKey(input.key);
    if (!parsed) throw modelError({ key: ['is invalid'] });
    const run = () =>
      this.dataSource.transaction(async (m) => {
        const existing = await m.getRepository(Key).findOne({ where: { fingerprint_sha256: parsed.fingerprintSha256 } });
        if (existing && existing.type !== 'DeployKey') throw modelError({ fingerprint_sha256: ['has already been taken'] });
        const key = existing ?? (await this.create(input, m));
        const links = m.getRepository(DeployKeyProject);
        const link =
          (await links.findOne({ where: { project_id: projectId, deploy_key_id: key.id } })) ??
          (await links.save(links.create({ project_id: projectId, deploy_key_id: key.id, can_push: input.canPush })));
        return DeployKeysService.view(key, link);
      });
    // a concurrent request created the same key or link: the second attempt finds it
    return retryOnConflict(run, { attempts: 2 });
  }

  /** Enables an existing deploy key (`can_push` false); unknown → 404 `Deploy Key Not Found`. */
  async enable(projectId: number, keyId: number): Promise<DeployKeyView> {
    const run = () =>
      this.dataSource.transaction(async (m) => {
        const key = await m.getRepository(Key).findOne({ where: { id: keyId, type: 'DeployKey' } });
        if (!key) throw notFound('Deploy Key');
        const links = m.getRepository(DeployKeyProject);
        const link =
          (await links.findOne({ where: { project_id: projectId, deploy_key_id: keyId } })) ??
          (await links.save(links.create({ project_id: projectId, deploy_key_id: keyId, can_push: false })));
        return DeployKeysService.view(key, link);
      });
    return retryOnConflict(run, { attempts: 2 });
  }

  /** `can_push` and/or `title` of a key enabled on the project. */
  async update(projectId: number, keyId: number, changes: { canPush?: boolean; title?: string }): Promise<DeployKeyView> {
    return this.dataSource.transaction(async (m) => {
      const link = await m.getRepository(DeployKeyProject).findOne({ where: { project_id: projectId, deploy_key_id: keyId } });
      const key = link ? await m.getRepository(Key).findOne({ where: { id: keyId, type: 'DeployKey' } }) : null;
      if (!link || !key) throw notFound('Deploy Key');
      if (changes.canPush !== undefined && changes.canPush !== link.can_push) {
        link.can_push = changes.canPush;
        await m.getRepository(DeployKeyProject).update(link.id, { can_push: changes.canPush });
      }
      if (changes.title !== undefined && changes.title !== key.title) {
        if (changes.title.trim() === '') throw modelError({ title: ["can't be blank"] });
        key.title = changes.title;
        await m.getRepository(Key).update(key.id, { title: changes.title });
      }
      return DeployKeysService.view(key, link);
    });
  }

  /** Disables the key on the project; the key itself is deleted once no project uses it. */
  async disable(projectId: number, keyId: number): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const links = m.getRepository(DeployKeyProject);
      const link = await links.findOne({ where: { project_id: projectId, deploy_key_id: keyId } });
      if (!link) throw notFound('Deploy Key');
      await links.delete(link.id);
      if (!(await links.exists({ where: { deploy_key_id: keyId } }))) {
        await m.getRepository(Key).delete({ id: keyId, type: 'DeployKey' });
      }
    });
  }
}
