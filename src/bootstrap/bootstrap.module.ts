import { Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { IdentityModule } from '../identity/identity.module';
import { PersonalAccessTokensService } from '../identity/personal-access-tokens.service';
import { UsersService } from '../identity/users.service';

/** ROOT_ACCESS_TOKEN: at start, ensure an admin `root` holding that token (scopes api, admin_mode). */
@Injectable()
export class RootTokenBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('Bootstrap');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject('DATABASE_MIGRATED') private readonly _migrated: boolean,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly tokens: PersonalAccessTokensService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const token = this.config.rootAccessToken;
    if (!token) return;
    await this.dataSource.transaction(async (m) => {
      let root = await this.users.findByUsername('root', m);
      if (!root) {
        root = await this.users.create({ username: 'root', name: 'Administrator', email: 'admin@example.com', admin: true }, m);
        this.logger.log('created the admin user root');
      } else if (!root.admin || root.state !== 'active') {
        await this.users.makeActiveAdmin(root.id, m);
      }
      await this.tokens.ensure(root.id, 'ROOT_ACCESS_TOKEN', token, ['api', 'admin_mode'], m);
    });
  }
}

@Module({ imports: [IdentityModule], providers: [RootTokenBootstrap] })
export class BootstrapModule {}
