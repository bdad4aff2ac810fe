import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { JobsModule } from '../jobs/jobs.module';
import { KeysModule } from '../keys/keys.module';
import { NamespacesModule } from '../namespaces/namespaces.module';
import { AdminGroupsController } from './admin-groups.controller';
import { AdminGroupsService } from './admin-groups.service';
import { AdminLookupService } from './admin-lookup.service';
import { AdminMembersService } from './admin-members.service';
import { AdminPresenter } from './admin-presenter.service';
import { AdminProjectsController } from './admin-projects.controller';
import { AdminProjectsService, PROJECT_DELETION_QUEUE } from './admin-projects.service';
import { AdminUsersController } from './admin-users.controller';
import { AdminUsersService } from './admin-users.service';
import { RepositoryStorageService } from './repository-storage.service';

/** The shared admin API: users, SSH keys, tokens, groups, projects, memberships. */
@Module({
  imports: [IdentityModule, NamespacesModule, KeysModule, JobsModule.registerQueue(PROJECT_DELETION_QUEUE)],
  controllers: [AdminUsersController, AdminGroupsController, AdminProjectsController],
  providers: [
    AdminLookupService,
    AdminPresenter,
    RepositoryStorageService,
    AdminUsersService,
    AdminMembersService,
    AdminGroupsService,
    AdminProjectsService,
  ],
  exports: [AdminProjectsService],
})
export class AdminModule {}
