/**
 * Every entity of the product. Modules add theirs here (one per line, grouped by module) and register them
 * with TypeOrmModule.forFeature; the data source and the migration generator read this one list.
 */
import { Identity } from '../identity/identity.entity';
import { Key } from '../identity/key.entity';
import { PersonalAccessToken } from '../identity/personal-access-token.entity';
import { User } from '../identity/user.entity';
import { Member } from '../namespaces/member.entity';
import { Namespace } from '../namespaces/namespace.entity';
import { Project } from '../namespaces/project.entity';
import { RedirectRoute } from '../namespaces/redirect-route.entity';
import { ApplicationSetting } from '../settings/application-setting.entity';
import { GitlabSubscription } from '../billing/entities/gitlab-subscription.entity';
import { Plan } from '../billing/entities/plan.entity';
import { AdditionalPack } from '../billing/entities/additional-pack.entity';
import { CreditCardValidation } from '../billing/entities/credit-card-validation.entity';
import { GitlabSubscriptionHistory } from '../billing/entities/gitlab-subscription-history.entity';
import { NamespaceLimit } from '../billing/entities/namespace-limit.entity';
import { StorageLimitExclusion } from '../billing/entities/storage-limit-exclusion.entity';
import { SubscriptionAddOn } from '../billing/entities/subscription-add-on.entity';
import { SubscriptionAddOnPurchase } from '../billing/entities/subscription-add-on-purchase.entity';
import { UpcomingReconciliation } from '../billing/entities/upcoming-reconciliation.entity';

// keys
import { GroupSshCertificate } from '../keys/group-ssh-certificate.entity';
import { UserTwoFactor } from '../keys/user-two-factor.entity';
// error-tracking
import { ErrorTrackingClientKey } from '../error-tracking/error-tracking-client-key.entity';
import { ProjectErrorTrackingSetting } from '../error-tracking/project-error-tracking-setting.entity';
// git-access
import { DeployKeyProject } from '../git-access/entities/deploy-key-project.entity';
import { ProtectedBranch, ProtectedBranchMergeAccessLevel, ProtectedBranchPushAccessLevel, ProtectedTag, ProtectedTagCreateAccessLevel } from '../git-access/entities/protected-refs.entity';
import { BroadcastMessage } from '../git-access/entities/broadcast-message.entity';
import { PushEvent } from '../git-access/entities/push-event.entity';
import { JobOutboxEntry } from '../jobs/job-outbox.entity';
import { ClusterAgent, ClusterAgentAlert, ClusterAgentAuthorization, ClusterAgentToken, KubernetesAgentEvent, KubernetesUniqueUsageEvent, KubernetesUsageCounter, SecurityPolicyConfiguration, VulnerabilityFinding } from '../kubernetes/entities';
// scim
import { ScimAccessToken } from '../scim/entities/scim-access-token.entity';
import { ScimGroupSetting } from '../scim/entities/scim-group-setting.entity';
import { ScimIdentity } from '../scim/entities/scim-identity.entity';

export const ENTITIES: Function[] = [
  // core
  User,
  Identity,
  PersonalAccessToken,
  Key,
  Namespace,
  Project,
  Member,
  RedirectRoute,
  ApplicationSetting,
  // billing
  Plan,
  GitlabSubscription,
  GitlabSubscriptionHistory,
  NamespaceLimit,
  SubscriptionAddOn,
  SubscriptionAddOnPurchase,
  AdditionalPack,
  StorageLimitExclusion,
  UpcomingReconciliation,
  CreditCardValidation,
  // keys
  UserTwoFactor,
  GroupSshCertificate,
  // error-tracking
  ProjectErrorTrackingSetting,
  ErrorTrackingClientKey,
  // git-access
  DeployKeyProject,
  ProtectedBranch,
  ProtectedBranchPushAccessLevel,
  ProtectedBranchMergeAccessLevel,
  ProtectedTag,
  ProtectedTagCreateAccessLevel,
  BroadcastMessage,
  PushEvent,
  // jobs
  JobOutboxEntry,
  // kubernetes
  ClusterAgent,
  ClusterAgentToken,
  ClusterAgentAuthorization,
  KubernetesUsageCounter,
  KubernetesUniqueUsageEvent,
  KubernetesAgentEvent,
  VulnerabilityFinding,
  ClusterAgentAlert,
  SecurityPolicyConfiguration,
  // scim
  ScimAccessToken,
  ScimIdentity,
  ScimGroupSetting,
];
