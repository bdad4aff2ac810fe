import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiError, recordNotFound } from '../common/api-error';
import { boolParam, INVALID, isoTimestamp } from '../common/coerce';
import { Namespace } from '../namespaces/entities/namespace.entity';
import { Project } from '../namespaces/entities/project.entity';
import { KasAgent } from './agent-token.resolver';
import { SecurityPolicyConfiguration } from './entities';
import { NamespaceTreeSql } from '../namespaces/namespace-tree.repository';
import { LicensingService } from './licensing.service';
import { absent, Hash, isHash, ParamErrors, RawBody, storableJson } from './params';
import { toYamlDocument } from './yaml';

const SCANS = ['dast', 'secret_detection', 'cluster_image_scanning', 'container_scanning', 'sast', 'dependency_scanning', 'sast_iac'];
const RULE_TYPES = ['pipeline', 'schedule', 'agent'];
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

  async put(owner: { project?: Project; group?: Namespace }, params: RawBody) {
    const policies = validatePolicies(params);
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

/** rules; errors carry full paths such as `scan_execution_policy[0][rules][0][cadence] is missing`. */
export function validatePolicies(params: RawBody): Hash[] {
  const e = new ParamErrors();
  const list = e.array(params.scan_execution_policy, 'scan_execution_policy', true);
  const out: Hash[] = [];
  (list ?? []).forEach((policy, i) => {
    const p = `scan_execution_policy[${i}]`;
    if (!isHash(policy) || !storableJson(policy)) return void e.invalid(p);
    const name = e.string(policy.name, `${p}[name]`, true);
    if (name !== undefined && name.trim() === '') e.add(`${p}[name] is empty`);
    e.string(policy.description, `${p}[description]`);
    let enabled: boolean | undefined;
    if (absent(policy.enabled)) e.missing(`${p}[enabled]`);
    else {
      const b = boolParam(policy.enabled);
      if (b === INVALID || b === undefined) e.invalid(`${p}[enabled]`);
      else enabled = b;
    }
    nonEmptyArray(e, policy.actions, `${p}[actions]`)?.forEach((action, j) => {
      const ap = `${p}[actions][${j}]`;
      if (!isHash(action)) return void e.invalid(ap);
      e.oneOf(action.scan, `${ap}[scan]`, SCANS, true);
    });
    nonEmptyArray(e, policy.rules, `${p}[rules]`)?.forEach((rule, k) => {
      const rp = `${p}[rules][${k}]`;
      if (!isHash(rule)) return void e.invalid(rp);
      const type = e.oneOf(rule.type, `${rp}[type]`, RULE_TYPES, true);
      if (type === 'schedule') e.string(rule.cadence, `${rp}[cadence]`, true);
      else e.string(rule.cadence, `${rp}[cadence]`);
      const agents = e.hash(rule.agents, `${rp}[agents]`);
      if (agents) {
        for (const [agentName, value] of Object.entries(agents)) {
          if (absent(value)) continue;
          const ap = `${rp}[agents][${agentName}]`;
          if (!isHash(value)) {
            e.invalid(ap);
            continue;
          }
          stringArray(e, value.namespaces, `${ap}[namespaces]`);
        }
      }
      stringArray(e, rule.branches, `${rp}[branches]`);
    });
    const stored: Hash = { ...policy };
    if (enabled !== undefined) stored.enabled = enabled;
    out.push(stored);
  });
  e.throwIfAny();
  return out;
}

function nonEmptyArray(e: ParamErrors, value: unknown, path: string): unknown[] | undefined {
  const list = e.array(value, path, true);
  if (list && !list.length) {
    e.add(`${path} is empty`);
    return undefined;
  }
  return list;
}

function stringArray(e: ParamErrors, value: unknown, path: string): void {
  const list = e.array(value, path);
  if (list && list.some((v) => typeof v !== 'string')) e.invalid(path);
}
