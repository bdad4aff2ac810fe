/** Every migration, in timestamp order (one per line). Modules append theirs; file names start with the timestamp. */
import { CoreSchema1764400000000 } from './1764400000000-core-schema';
import { RedirectRoutes1764400000001 } from './1764400000001-redirect-routes';
import { ApplicationSettings1764400000002 } from './1764400000002-application-settings';
import { GitAccessSchema1764400200000 } from './1764400200000-git-access-schema';
import { KeysTwoFactorSshCertificates1764400300000 } from './1764400300000-keys-two-factor-ssh-certificates';
import { ErrorTracking1764400300001 } from './1764400300001-error-tracking';
import { KubernetesAgents1764400400000 } from './1764400400000-kubernetes-agents';
import { ScimSchema1764400500000 } from './1764400500000-scim-schema';
import { BillingPlansSubscriptions1764400600000 } from './1764400600000-billing-plans-subscriptions';
import { BillingSchema1764400600001 } from './1764400600001-billing-schema';
import { JobOutbox1764400700000 } from './1764400700000-job-outbox';

export const MIGRATIONS: Function[] = [
  // core
  CoreSchema1764400000000,
  RedirectRoutes1764400000001,
  ApplicationSettings1764400000002,
  // git-access
  GitAccessSchema1764400200000,
  // keys + error tracking
  KeysTwoFactorSshCertificates1764400300000,
  ErrorTracking1764400300001,
  // kubernetes
  KubernetesAgents1764400400000,
  // scim
  ScimSchema1764400500000,
  // billing
  BillingPlansSubscriptions1764400600000,
  BillingSchema1764400600001,
  // jobs
  JobOutbox1764400700000,
];
