import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiError, forbidden } from '../common/api-error';
import { isoTimestamp } from '../common/coerce';
import { PageRequest, Paginated } from '../common/pagination';
import { User } from '../identity/entities/user.entity';
import { AccessService } from '../namespaces/access.service';
import { Project } from '../namespaces/entities/project.entity';
import { KasAgent } from './agent-token.resolver';
import { VulnerabilityFinding } from './entities';
import { LicensedFeature, LicensingService } from './licensing.service';
import { rawOf } from '../common/params';
import { CiliumAlertBody, ScanResultBody } from './dto/kas.dto';
import { StarboardVulnerabilityBody } from './dto/starboard.dto';
import { findingFingerprints } from './vulnerability-uuid';

const REPORT_TYPE = 'cluster_image_scanning';
const MAINTAINER = 40;

/** Starboard vulnerabilities, scan results and Cilium alerts. */
@Injectable()
export class VulnerabilitiesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly licensing: LicensingService,
  ) {}

  /** step 1: the agent's creator may write findings to P, and P has the feature. */
  private async authorize(agent: KasAgent, feature: LicensedFeature): Promise<void> {
    const creator = agent.created_by_user_id
      ? await this.dataSource.getRepository(User).findOne({ where: { id: agent.created_by_user_id } })
      : null;
    if (!creator || creator.state !== 'active') throw forbidden();
    if (!creator.admin && (await this.access.projectAccessLevel(creator.id, agent.project_id)) < MAINTAINER) throw forbidden();
    if (!(await this.licensing.projectHasFeature(agent.project, feature))) throw forbidden();
  }

  async createFromStarboard(agent: KasAgent, body: StarboardVulnerabilityBody): Promise<{ uuid: string }> {
    const { vulnerability: input, scanner } = body;
    await this.authorize(agent, 'security_dashboard');
    const resource = input.location.kubernetes_resource;
    const id0 = input.identifiers[0];
    const fp = findingFingerprints({
      identifier: { name: id0.name, external_type: id0.external_type, external_id: id0.external_id },
      kubernetesResource: { namespace: resource.namespace, name: resource.name, kind: resource.kind, container: resource.container },
      packageName: input.location.dependency?.package?.name,
      agentId: agent.id,
      projectId: agent.project_id,
    });
    const chars = Array.from(input.name);
    const title = chars.length > 255 ? `${chars.slice(0, 252).join('')}...` : input.name;
    await this.dataSource.transaction(async (m) => {
      const inserted: { id: number }[] = await m.query(
        `INSERT INTO vulnerability_findings (uuid, project_id, cluster_agent_id, report_type, state, severity, confidence, title,
           message, description, solution, location, identifiers, links, primary_identifier_fingerprint, location_fingerprint,
           project_fingerprint, scanner_external_id, scanner_name, scanner_vendor, metadata_version, raw_metadata, author_id)
         VALUES ($1, $2, $3, $4, 'detected', $5, $6, $7, $8, $9, $10, $11::jsonb, $12::jsonb, $13::jsonb, $14, $15, $16, $17, $18, $19,
           'cluster_image_scanning:1.0', $20, $21)
         ON CONFLICT (uuid) DO NOTHING RETURNING id`,
        [
          fp.uuid,
          agent.project_id,
          agent.id,
          REPORT_TYPE,
          input.severity,
          input.confidence,
          title,
          input.message ?? null,
          input.description ?? null,
          input.solution ?? null,
          JSON.stringify(rawOf(input.location)),
          JSON.stringify(input.identifiers.map(rawOf)),
          input.links === undefined ? null : JSON.stringify(input.links),
          fp.primaryIdentifierFingerprint,
          fp.locationFingerprint,
          fp.projectFingerprint,
          truncate(scanner.id),
          truncate(scanner.name),
          truncate(typeof scanner.vendor === 'string' ? scanner.vendor : scanner.vendor.name),
          JSON.stringify({ location: rawOf(input.location) }),
          agent.created_by_user_id,
        ],
      );
      if (inserted.length) {
        await m.query(
          `UPDATE cluster_agents SET has_vulnerabilities = true, updated_at = now() WHERE id = $1 AND has_vulnerabilities = false`,
          [agent.id],
        );
      }
    });
    return { uuid: fp.uuid };
  }

  async scanResult(agent: KasAgent, input: ScanResultBody): Promise<void> {
    const uuids = input.uuids.map((uuid) => uuid.toLowerCase());
    await this.authorize(agent, 'security_dashboard');
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `UPDATE vulnerability_findings
         SET state = 'resolved', resolved_on_default_branch = true, resolved_at = now(), updated_at = now()
         WHERE project_id = $1 AND cluster_agent_id = $2 AND report_type = $3 AND state IN ('detected', 'confirmed')
           AND NOT (lower(uuid::text) = ANY($4::text[]))`,
        [agent.project_id, agent.id, REPORT_TYPE, uuids],
      );
    });
  }

  /** (legacy): store a Cilium alert. */
  async ciliumAlert(agent: KasAgent, input: CiliumAlertBody): Promise<void> {
    const { alert } = input;
    if (!(await this.licensing.projectHasFeature(agent.project, 'cilium_alerts'))) throw forbidden();
    const text = JSON.stringify(alert);
    if (Buffer.byteLength(text, 'utf8') > 1024 * 1024 || depth(alert) > 20) throw new ApiError(400, { message: 'Bad Request' });
    const title = typeof alert.title === 'string' ? truncate(alert.title) : null;
    await this.dataSource.query(`INSERT INTO cluster_agent_alerts (agent_id, project_id, title, payload) VALUES ($1, $2, $3, $4::jsonb)`, [
      agent.id,
      agent.project_id,
      title,
      text,
    ]);
  }

  async list(project: Project, page: PageRequest): Promise<Paginated<Record<string, unknown>>> {
    const [rows, total] = await this.dataSource.getRepository(VulnerabilityFinding).findAndCount({
      where: { project_id: project.id },
      order: { id: 'ASC' },
      skip: page.offset,
      take: page.perPage,
    });
    const items = rows.map((r) => ({
      id: r.id,
      uuid: r.uuid,
      title: r.title,
      state: r.state,
      severity: r.severity,
      confidence: r.confidence,
      report_type: r.report_type,
      cluster_agent_id: r.cluster_agent_id,
      resolved_on_default_branch: r.resolved_on_default_branch,
      author_id: r.author_id,
      created_at: isoTimestamp(r.created_at),
      updated_at: isoTimestamp(r.updated_at),
      resolved_at: isoTimestamp(r.resolved_at),
    }));
    return new Paginated(items, page, total);
  }
}

function truncate(text: string, max = 255): string {
  const chars = Array.from(text);
  return chars.length > max ? chars.slice(0, max).join('') : text;
}

function depth(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let max = 0;
  for (const v of Object.values(value as object)) max = Math.max(max, depth(v));
  return max + 1;
}
