import { Module } from '@nestjs/common';
import { registerEntities } from '../database/entity-registry';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AGENT_TOKEN_RESOLVER } from '../auth/guards';
import { BillingModule } from '../billing/billing.module';
import { IdentityModule } from '../identity/identity.module';
import { NamespacesModule } from '../namespaces/namespaces.module';
import { KubernetesAdminController } from './kubernetes-admin.controller';
import { KasAgentTokenResolver } from './agent-token.resolver';
import { ClusterAgentsService } from './cluster-agents.service';
import {
  ClusterAgent,
  ClusterAgentAlert,
  ClusterAgentAuthorization,
  ClusterAgentToken,
  KubernetesAgentEvent,
  KubernetesUniqueUsageEvent,
  KubernetesUsageCounter,
  SecurityPolicyConfiguration,
  VulnerabilityFinding,
} from './entities';
import { KasAgentController, KasController } from './kas.controller';
import { KasService } from './kas.service';
import { LicensingService } from './licensing.service';
import { PoliciesService } from './policies.service';
import { UsageService } from './usage.service';
import { VulnerabilitiesService } from './vulnerabilities.service';

/** The tables this module owns (see database/entity-registry.ts). */
export const KUBERNETES_ENTITIES = registerEntities([
  ClusterAgent,
  ClusterAgentToken,
  ClusterAgentAuthorization,
  KubernetesUsageCounter,
  KubernetesUniqueUsageEvent,
  KubernetesAgentEvent,
  VulnerabilityFinding,
  ClusterAgentAlert,
  SecurityPolicyConfiguration,
]);

/** The Kubernetes agent server's internal API and its admin fixtures. */
@Module({
  imports: [IdentityModule, NamespacesModule, BillingModule, TypeOrmModule.forFeature(KUBERNETES_ENTITIES)],
  controllers: [KasController, KasAgentController, KubernetesAdminController],
  providers: [
    KasAgentTokenResolver,
    { provide: AGENT_TOKEN_RESOLVER, useExisting: KasAgentTokenResolver },
    ClusterAgentsService,
    KasService,
    LicensingService,
    PoliciesService,
    UsageService,
    VulnerabilitiesService,
  ],
  exports: [ClusterAgentsService],
})
export class KubernetesModule {}
