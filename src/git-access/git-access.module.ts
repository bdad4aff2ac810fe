import { Module } from '@nestjs/common';
import { registerEntities } from '../database/entity-registry';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '../identity/identity.module';
import { JobsModule } from '../jobs/jobs.module';
import { NamespacesModule } from '../namespaces/namespaces.module';
import { AccessCheckerService } from './access-checker.service';
import { DeployKeyLinksRepository } from './checks/deploy-key-links.repository';
import { PostPushMessages } from './checks/post-push-messages';
import { ProjectAutoCreation } from './checks/project-auto-creation.service';
import { ProtectedRefsRepository } from './checks/protected-refs.repository';
import { OperationLimit } from './checks/request-checks';
import {
  AdminApplicationSettingsController,
  AdminBroadcastMessagesController,
  AdminDeployKeysController,
  AdminProtectedRefsController,
} from './admin/admin-git-access.controller';
import { BroadcastMessagesService } from './admin/broadcast-messages.service';
import { DeployKeysService } from './admin/deploy-keys.service';
import { ProtectedRefsService } from './admin/protected-refs.service';
import { BroadcastMessage } from './entities/broadcast-message.entity';
import { DeployKeyProject } from './entities/deploy-key-project.entity';
import {
  ProtectedBranch,
  ProtectedBranchMergeAccessLevel,
  ProtectedBranchPushAccessLevel,
  ProtectedTag,
  ProtectedTagCreateAccessLevel,
} from './entities/protected-refs.entity';
import { PushEvent } from './entities/push-event.entity';
import { GitAccessController, GitAuditController } from './git-access.controller';
import { GitHistoryService } from './git-history.service';
import { POST_RECEIVE_QUEUE, PostReceiveService } from './post-receive.service';
import { JobOutbox } from '../jobs/job-outbox';
import { RepositoryService } from './repository.service';

/** The tables this module owns (see database/entity-registry.ts). */
export const GIT_ACCESS_ENTITIES = registerEntities([
  DeployKeyProject,
  ProtectedBranch,
  ProtectedBranchPushAccessLevel,
  ProtectedBranchMergeAccessLevel,
  ProtectedTag,
  ProtectedTagCreateAccessLevel,
  BroadcastMessage,
  PushEvent,
]);

/**
 * GitAccess: `/allowed`, `/pre_receive`, `/post_receive`, the git audit event, and the
 * admin fixture routes of deploy keys, protected refs, broadcast messages and application settings.
 * Exports `RepositoryService` (repository identity) for Lfs.
 */
@Module({
  imports: [TypeOrmModule.forFeature(GIT_ACCESS_ENTITIES), IdentityModule, NamespacesModule, JobsModule.registerQueue(POST_RECEIVE_QUEUE)],
  controllers: [
    GitAccessController,
    GitAuditController,
    AdminDeployKeysController,
    AdminProtectedRefsController,
    AdminBroadcastMessagesController,
    AdminApplicationSettingsController,
  ],
  providers: [
    RepositoryService,
    AccessCheckerService,
    OperationLimit,
    ProjectAutoCreation,
    PostPushMessages,
    ProtectedRefsRepository,
    DeployKeyLinksRepository,
    GitHistoryService,
    PostReceiveService,
    JobOutbox,
    DeployKeysService,
    ProtectedRefsService,
    BroadcastMessagesService,
  ],
  exports: [RepositoryService, GitHistoryService, DeployKeysService, ProtectedRefsService, BroadcastMessagesService],
})
export class GitAccessModule {}
