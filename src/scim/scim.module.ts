import { Module } from '@nestjs/common';
import { registerEntities } from '../database/entity-registry';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SCIM_TOKEN_RESOLVER } from '../auth/guards';
import { IdentityModule } from '../identity/identity.module';
import { NamespacesModule } from '../namespaces/namespaces.module';
import { ScimAccessToken } from './entities/scim-access-token.entity';
import { ScimGroupSetting } from './entities/scim-group-setting.entity';
import { ScimIdentity } from './entities/scim-identity.entity';
import { ScimDiscoveryService } from './scim-discovery.service';
import { ScimGroupController } from './scim-group.controller';
import { ScimResponseInterceptor } from './scim-http';
import { ScimInstanceController } from './scim-instance.controller';
import { ScimRoutingController } from './scim-routing.controller';
import { ScimTokensAdminController } from './scim-tokens-admin.controller';
import { ScimTokensService } from './scim-tokens.service';
import { ScimIdentitiesRepository } from './scim-identities.repository';
import { ScimProvisioningService } from './scim-provisioning.service';
import { ScimUserDirectoryService } from './scim-user-directory.service';
import { ScimUserStateService } from './scim-user-state.service';
import { ScimUserUpdatesService } from './scim-user-updates.service';

/** The tables this module owns (see database/entity-registry.ts). */
export const SCIM_ENTITIES = registerEntities([ScimAccessToken, ScimIdentity, ScimGroupSetting]);

/** Group and instance SCIM 2.0. The routing controller comes last: it answers what the others do not. */
@Module({
  imports: [TypeOrmModule.forFeature(SCIM_ENTITIES), IdentityModule, NamespacesModule],
  controllers: [ScimGroupController, ScimInstanceController, ScimTokensAdminController, ScimRoutingController],
  providers: [
    ScimTokensService,
    ScimIdentitiesRepository,
    ScimUserDirectoryService,
    ScimProvisioningService,
    ScimUserStateService,
    ScimUserUpdatesService,
    ScimDiscoveryService,
    ScimResponseInterceptor,
    { provide: SCIM_TOKEN_RESOLVER, useExisting: ScimTokensService },
  ],
})
export class ScimModule {}
