import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { modelError, notFound } from '../../common/api-error';
import { PageRequest, Paginated } from '../../common/pagination';
import { Key } from '../../identity/entities/key.entity';
import { KeysService } from '../../identity/keys.service';
import { AdminLookupService, pathRowId } from '../admin-lookup.service';
import { AdminPresenter } from '../admin-presenter.service';
import { SshKeyEntity } from '../dto/admin-responses.dto';
import { CreateKeyBody } from '../dto/users.dto';

/** A key's title is not blank and fits its column (400 `{"message":{"title":[…]}}`). */
export function checkKeyTitle(title: string): void {
  if (!title.trim()) throw modelError({ title: ["can't be blank"] });
  if (title.length > 255) throw modelError({ title: ['is too long (maximum is 255 characters)'] });
}

/** A user's SSH keys. Key material exists once, as a user key or a deploy key (`KeysService.add` decides). */
@Injectable()
export class AdminUserKeysService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: KeysService,
    private readonly lookup: AdminLookupService,
    private readonly presenter: AdminPresenter,
  ) {}

  async add(id: string, input: CreateKeyBody): Promise<SshKeyEntity> {
    checkKeyTitle(input.title);
    return this.dataSource.transaction(async (m) => {
      const user = await this.lookup.user(id, m);
      const created = await this.keys.add(
        { type: 'Key', userId: user.id, title: input.title, key: input.key, expiresAt: input.expires_at ?? null, usageType: input.usage_type },
        m,
      );
      return this.presenter.key(created, user);
    });
  }

  async list(id: string, page: PageRequest): Promise<Paginated<SshKeyEntity>> {
    const user = await this.lookup.user(id);
    const [keys, total] = await this.dataSource
      .getRepository(Key)
      .findAndCount({ where: { user_id: user.id, type: 'Key' }, order: { id: 'ASC' }, skip: page.offset, take: page.perPage });
    return new Paginated(
      keys.map((k) => this.presenter.key(k, user)),
      page,
      total,
    );
  }

  async remove(id: string, keyId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const user = await this.lookup.user(id, m);
      const kid = pathRowId(keyId);
      const key = kid === null ? null : await m.getRepository(Key).findOne({ where: { id: kid, user_id: user.id, type: 'Key' } });
      if (!key) throw notFound('Key');
      await m.getRepository(Key).delete(key.id);
    });
  }
}
