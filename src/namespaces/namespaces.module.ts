import { Module } from '@nestjs/common';
import { registerEntities } from '../database/entity-registry';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessService } from './access.service';
import { GroupsService } from './groups.service';
import { Member } from './entities/member.entity';
import { MembersService } from './members.service';
import { MembershipRepository } from './membership.repository';
import { NamespaceTreeRepository } from './namespace-tree.repository';
import { Namespace } from './entities/namespace.entity';
import { Project } from './entities/project.entity';
import { ProjectsService } from './projects.service';
import { RedirectRoute } from './entities/redirect-route.entity';
import { RedirectRoutesService } from './redirect-routes.service';

/** The tables this module owns (see database/entity-registry.ts). */
export const NAMESPACES_ENTITIES = registerEntities([Namespace, Project, Member, RedirectRoute]);

/** What the core's other modules and the features use. */
const SERVICES = [
  GroupsService,
  ProjectsService,
  MembersService,
  AccessService,
  NamespaceTreeRepository,
  MembershipRepository,
  RedirectRoutesService,
];

/** Groups, projects, memberships and the access levels they give (shared core). */
@Module({
  imports: [TypeOrmModule.forFeature(NAMESPACES_ENTITIES)],
  providers: SERVICES,
  exports: SERVICES,
})
export class NamespacesModule {}
