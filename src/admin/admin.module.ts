import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { JobsModule } from '../jobs/jobs.module';
import { KeysModule } from '../keys/keys.module';
import { NamespacesModule } from '../namespaces/namespaces.module';
import { GroupsAdminController } from './groups-admin.controller';
import { AdminGroupsService } from './admin-groups.service';
import { AdminLookupService } from './admin-lookup.service';
import { AdminMembersService } from './admin-members.service';
import { AdminPresenter } from './admin-presenter.service';
import { ProjectsAdminController } from './projects-admin.controller';
import { AdminProjectsService, PROJECT_DELETION_QUEUE } from './admin-projects.service';
import { UsersAdminController } from './users-admin.controller';
import { AdminUsersService } from './admin-users.service';
import { RepositoryStorageService } from './repository-storage.service';
import { AdminPersonalAccessTokensService } from './users/admin-personal-access-tokens.service';
import { AdminUserKeysService } from './users/admin-user-keys.service';

/** The shared admin API: users, SSH keys, tokens, groups, projects, memberships. */
@Module({
  imports: [IdentityModule, NamespacesModule, KeysModule, JobsModule.registerQueue(PROJECT_DELETION_QUEUE)],
  controllers: [UsersAdminController, GroupsAdminController, ProjectsAdminController],
  providers: [
    AdminLookupService,
    AdminPresenter,
    RepositoryStorageService,
    AdminUsersService,
    AdminUserKeysService,
    AdminPersonalAccessTokensService,
    AdminMembersService,
    AdminGroupsService,
    AdminProjectsService,
  ],
  exports: [AdminProjectsService],
})
export class AdminModule {}
