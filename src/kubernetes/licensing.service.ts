import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, LicensePlan } from '../config/config';

export type LicensedFeature = 'security_dashboard' | 'security_orchestration_policies' | 'cilium_alerts';

const TIER_RANK: Record<LicensePlan, number> = { free: 0, premium: 1, ultimate: 2 };
const FEATURE_TIER: Record<LicensedFeature, LicensePlan> = {
  security_dashboard: 'ultimate',
  security_orchestration_policies: 'ultimate',
  cilium_alerts: 'ultimate',
};
const PLAN_TIER: Record<string, LicensePlan> = {
  gold: 'ultimate',
  ultimate: 'ultimate',
  ultimate_trial: 'ultimate',
  ultimate_trial_paid_customer: 'ultimate',
  opensource: 'ultimate',
  silver: 'premium',
  premium: 'premium',
  premium_trial: 'premium',
};

/** Licensed features of a project (kubernetes.md §0.4): the instance licence, or on GitLab.com the root namespace's plan. */
@Injectable()
export class LicensingService {
  private readonly logger = new Logger('KubernetesLicensing');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async projectTier(project: { namespace_id: number }): Promise<LicensePlan> {
    if (!this.config.gitlabSaas) return this.config.gitlabLicensePlan;
    try {
      const rows: { name: string | null }[] = await this.dataSource.query(
        `WITH RECURSIVE up(id, parent_id) AS (
           SELECT id, parent_id FROM namespaces WHERE id = $1
           UNION ALL SELECT n.id, n.parent_id FROM namespaces n JOIN up ON n.id = up.parent_id)
         SELECT pl.name AS name FROM up
         JOIN gitlab_subscriptions s ON s.namespace_id = up.id
         LEFT JOIN plans pl ON pl.id = s.hosted_plan_id
         WHERE up.parent_id IS NULL LIMIT 1`,
        [project.namespace_id],
      );
      const name = rows[0]?.name;
      return (name && PLAN_TIER[name]) || 'free';
    } catch (err) {
      // the billing tables are absent (module not installed): no paid plan anywhere
      this.logger.warn({ err }, 'cannot read the plan of a namespace; assuming free');
      return 'free';
    }
  }

  async projectHasFeature(project: { namespace_id: number }, feature: LicensedFeature): Promise<boolean> {
    return TIER_RANK[await this.projectTier(project)] >= TIER_RANK[FEATURE_TIER[feature]];
  }
}
