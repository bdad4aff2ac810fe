import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiError, recordNotFound } from '../common/api-error';
import { isoTimestamp } from '../common/coerce';
import { Hash, isHash, rawOf } from '../common/params';
import { Namespace } from '../namespaces/entities/namespace.entity';
import { Project } from '../namespaces/entities/project.entity';
import { KasAgent } from './agent-token.resolver';
import { SecurityPolicyConfiguration } from './entities';
import { NamespaceTreeSql } from '../namespaces/namespace-tree.repository';
import { LicensingService } from './licensing.service';
import { PolicyConfigurationBody } from './dto/admin.dto';
import { toYamlDocument } from './yaml';

const IMAGE_SCANS = ['container_scanning', 'cluster_image_scanning'];

/** `2022-06-02T05:36:26+00:00` */
export const rubyUtc = (d: Date): string => `${new Date(d).toISOString().slice(0, 19)}+00:00`;

/** Scan execution policies: admin fixtures and what agentk reads. */
@Injectable()
export class PoliciesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly licensing: LicensingService,
  ) {}

  /** The configurations of P, then of its parent group, its parent … up to the root. */
  private async configurations(agent: KasAgent): Promise<SecurityPolicyConfiguration[]> {
    if (!(await this.licensing.projectHasFeature(agent.project, 'security_orchestration_policies'))) {
      throw new ApiError(402, { message: 'Payment Required' });
    }
    const rows: (SecurityPolicyConfiguration & { depth: number })[] = await this.dataSource.query(
      `WITH RECURSIVE ${NamespaceTreeSql.ancestorsOfId('up', '$2')}
       SELECT c.*, 0 AS depth FROM security_policy_configurations c WHERE c.project_id = $1
       UNION ALL
       SELECT c.*, up.depth + 1 AS depth FROM security_policy_configurations c JOIN up ON c.namespace_id = up.id
       ORDER BY depth`,
      [agent.project_id, agent.project.namespace_id],
    );
    return rows;
  }

  async policiesConfiguration(agent: KasAgent) {
    const configurations: { cadence: string; namespaces: string[]; updated_at: string }[] = [];
    for (const config of await this.configurations(agent)) {
      for (const policy of policyList(config)) {
        if (policy.enabled !== true) continue;
        const actions = Array.isArray(policy.actions) ? policy.actions : [];
        if (!actions.some((a) => isHash(a) && IMAGE_SCANS.includes(a.scan as string))) continue;
        for (const rule of Array.isArray(policy.rules) ? policy.rules : []) {
          if (!isHash(rule) || rule.type !== 'schedule' || !isHash(rule.agents)) continue;
          if (!Object.prototype.hasOwnProperty.call(rule.agents, agent.name)) continue;
          const entry = rule.agents[agent.name];
          const ns = isHash(entry) ? entry.namespaces : undefined;
          const namespaces = Array.isArray(ns) ? ns.map(String) : typeof ns === 'string' ? [ns] : [];
          configurations.push({ cadence: String(rule.cadence ?? ''), namespaces, updated_at: rubyUtc(config.policy_last_updated_at) });
        }
      }
    }
    return { configurations };
  }

  async scanExecutionPolicies(agent: KasAgent) {
    const policies: { name: string; description: string | null; enabled: boolean; yaml: string; updated_at: string }[] = [];
    for (const config of await this.configurations(agent)) {
      for (const policy of policyList(config)) {
        policies.push({
          name: String(policy.name ?? ''),
          description: typeof policy.description === 'string' ? policy.description : null,
          enabled: policy.enabled === true,
          yaml: toYamlDocument(policy),
          updated_at: rubyUtc(config.policy_last_updated_at),
        });
      }
    }
    return { policies };
  }

  async put(owner: { project?: Project; group?: Namespace }, input: PolicyConfigurationBody) {
    // stored as sent, with `enabled` as the boolean it was read as
    const policies = input.scan_execution_policy.map((policy) => ({ ...rawOf(policy), enabled: policy.enabled }));
    const column = owner.project ? 'project_id' : 'namespace_id';
    const ownerId = owner.project ? owner.project.id : owner.group!.id;
    const rows: SecurityPolicyConfiguration[] = await this.dataSource.transaction((m) =>
      m.query(
        `INSERT INTO security_policy_configurations (${column}, policies, policy_last_updated_at) VALUES ($1, $2::jsonb, now())
         ON CONFLICT (${column}) DO UPDATE SET policies = EXCLUDED.policies, policy_last_updated_at = now(), updated_at = now()
         RETURNING *`,
        [ownerId, JSON.stringify({ scan_execution_policy: policies })],
      ),
    );
    const row = rows[0];
    return {
      id: Number(row.id),
      [column]: ownerId,
      scan_execution_policy: row.policies.scan_execution_policy,
      policy_last_updated_at: isoTimestamp(row.policy_last_updated_at),
    };
  }

  async remove(owner: { project?: Project; group?: Namespace }): Promise<void> {
    const where = owner.project ? { project_id: owner.project.id } : { namespace_id: owner.group!.id };
    const result = await this.dataSource.getRepository(SecurityPolicyConfiguration).delete(where);
    if (!result.affected) throw recordNotFound();
  }
}

function policyList(config: SecurityPolicyConfiguration): Hash[] {
  const list = config.policies?.scan_execution_policy;
  return Array.isArray(list) ? list.filter(isHash) : [];
}
