import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { recordNotFound } from '../../common/api-error';
import { PersonalAccessToken } from '../../identity/entities/personal-access-token.entity';
import { PersonalAccessTokensService } from '../../identity/personal-access-tokens.service';
import { ApplicationSettingsService } from '../../settings/application-settings.service';
import { AdminLookupService, pathRowId } from '../admin-lookup.service';
import { AdminPresenter } from '../admin-presenter.service';
import { PersonalAccessTokenEntity } from '../dto/admin-responses.dto';
import { CreatePatBody } from '../dto/users.dto';
import { tokenExpiry } from './token-rules';

/** Personal access tokens an admin creates for a user and revokes. Only the token's SHA-256 is stored. */
@Injectable()
export class AdminPersonalAccessTokensService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly pats: PersonalAccessTokensService,
    private readonly settings: ApplicationSettingsService,
    private readonly lookup: AdminLookupService,
    private readonly presenter: AdminPresenter,
  ) {}

  /** Unknown user → 404 before any model error; the clear token appears only in this answer. */
  async create(userId: string, input: CreatePatBody): Promise<PersonalAccessTokenEntity> {
    return this.dataSource.transaction(async (m) => {
      const user = await this.lookup.user(userId, m);
      const settings = await this.settings.current(m);
      const expiresAt = tokenExpiry(input, settings.require_personal_access_token_expiry);
      const { token, pat } = await this.pats.create({ userId: user.id, name: input.name, scopes: input.scopes, expiresAt }, m);
      const saved = (await m.getRepository(PersonalAccessToken).findOne({ where: { id: pat.id } }))!;
      return this.presenter.pat(saved, token);
    });
  }

  /** Revoking twice is fine; unknown → 404 `Not found`. */
  async revoke(id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const pid = pathRowId(id);
      const pat = pid === null ? null : await m.getRepository(PersonalAccessToken).findOne({ where: { id: pid } });
      if (!pat) throw recordNotFound();
      if (!pat.revoked) await m.getRepository(PersonalAccessToken).update(pat.id, { revoked: true });
    });
  }
}
