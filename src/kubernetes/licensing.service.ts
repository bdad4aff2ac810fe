import { Inject, Injectable } from '@nestjs/common';
import { BillingNamespaces } from '../billing/billing-namespaces.service';
import { APP_CONFIG, AppConfig, LicensePlan } from '../config/config';

export type LicensedFeature = 'security_dashboard' | 'security_orchestration_policies' | 'cilium_alerts';

const TIER_RANK: Record<LicensePlan, number> = { free: 0, premium: 1, ultimate: 2 };
const FEATURE_TIER: Record<LicensedFeature, LicensePlan> = {
  security_dashboard: 'ultimate',
  security_orchestration_policies: 'ultimate',
  cilium_alerts: 'ultimate',
};

/** Licensed features of a project: the instance licence, or on GitLab.com the root namespace's plan. */
@Injectable()
export class LicensingService {
  constructor(
    private readonly billing: BillingNamespaces,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async projectTier(project: { namespace_id: number }): Promise<LicensePlan> {
    if (!this.config.gitlabSaas) return this.config.gitlabLicensePlan;
    return this.billing.rootPlanTier(Number(project.namespace_id));
  }

  async projectHasFeature(project: { namespace_id: number }, feature: LicensedFeature): Promise<boolean> {
    return TIER_RANK[await this.projectTier(project)] >= TIER_RANK[FEATURE_TIER[feature]];
  }
}
