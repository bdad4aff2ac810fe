import { Module } from '@nestjs/common';
import { registerEntities } from '../database/entity-registry';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '../identity/identity.module';
import { NamespacesModule } from '../namespaces/namespaces.module';
import { SettingsModule } from '../settings/settings.module';
import { AuthorizedKeysService } from './authorized-keys.service';
import { GroupSshCertificate } from './entities/group-ssh-certificate.entity';
import { SshCertificatesAdminController, TwoFactorAdminController } from './keys-admin.controller';
import { KeysInternalController } from './keys-internal.controller';
import { ShellPersonalAccessTokenService } from './shell-personal-access-token.service';
import { SshCertificatesService } from './ssh-certificates.service';
import { TwoFactorService } from './two-factor.service';
import { UserTwoFactor } from './entities/user-two-factor.entity';

/** The tables this module owns (see database/entity-registry.ts). */
export const KEYS_ENTITIES = registerEntities([UserTwoFactor, GroupSshCertificate]);

/** Keys: `/authorized_keys`, `/authorized_certs`, `/discover`, 2FA and personal access tokens over SSH. */
@Module({
  imports: [TypeOrmModule.forFeature(KEYS_ENTITIES), IdentityModule, NamespacesModule, SettingsModule],
  controllers: [KeysInternalController, TwoFactorAdminController, SshCertificatesAdminController],
  providers: [AuthorizedKeysService, TwoFactorService, ShellPersonalAccessTokenService, SshCertificatesService],
  exports: [TwoFactorService],
})
export class KeysModule {}
