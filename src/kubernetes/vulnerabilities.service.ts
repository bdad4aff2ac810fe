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
import { absent, Hash, isHash, ParamErrors, RawBody, storableJson, storableText } from './params';
import { parseJsonObject } from './kas.service';
import { findingFingerprints } from './vulnerability-uuid';

const SEVERITIES = ['info', 'unknown', 'low', 'medium', 'high', 'critical'] as const;
const CONFIDENCES = ['undefined', 'ignore', 'unknown', 'experimental', 'low', 'medium', 'high', 'confirmed'] as const;
const REPORT_TYPE = 'cluster_image_scanning';
const MAINTAINER = 40;
const lower = (s: string) => s.toLowerCase();

interface StarboardInput {
  vulnerability: Hash;
  name: string;
  severity: string;
  confidence: string;
  location: Hash;
  kr: { namespace: string; name: string; kind: string; container?: string };
  packageName?: string;
  identifiers: Hash[];
  /** identifiers[0] with numbers as their decimal text */
  id0: { name: string; external_type?: string; external_id?: string };
  message?: string;
  description?: string;
  solution?: string;
  links?: unknown[];
  scanner: { id: string; name: string; vendor: string };
}

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
    const creator = agent.created_by_user_id ? await this.dataSource.getRepository(User).findOne({ where: { id: agent.created_by_user_id } }) : null;
    if (!creator || creator.state !== 'active') throw forbidden();
    if (!creator.admin && (await this.access.projectAccessLevel(creator.id, agent.project_id)) < MAINTAINER) throw forbidden();
    if (!(await this.licensing.projectHasFeature(agent.project, feature))) throw forbidden();
  }

  async createFromStarboard(agent: KasAgent, params: RawBody): Promise<{ uuid: string }> {
    const input = validateStarboard(params);
    await this.authorize(agent, 'security_dashboard');
    const fp = findingFingerprints({
      identifier: input.id0,
      kubernetesResource: input.kr,
      packageName: input.packageName,
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
          JSON.stringify(input.location),
          JSON.stringify(input.identifiers),
          input.links === undefined ? null : JSON.stringify(input.links),
          fp.primaryIdentifierFingerprint,
          fp.locationFingerprint,
          fp.projectFingerprint,
          truncate(input.scanner.id),
          truncate(input.scanner.name),
          truncate(input.scanner.vendor),
          JSON.stringify({ location: input.location }),
          agent.created_by_user_id,
        ],
      );
      if (inserted.length) {
        await m.query(`UPDATE cluster_agents SET has_vulnerabilities = true, updated_at = now() WHERE id = $1 AND has_vulnerabilities = false`, [agent.id]);
      }
    });
    return { uuid: fp.uuid };
  }

  async scanResult(agent: KasAgent, params: RawBody): Promise<void> {
    const errors = new ParamErrors();
    const list = errors.array(params.uuids, 'uuids', true);
    const uuids: string[] = [];
    if (list) {
      for (const v of list) {
        if (typeof v === 'string' && storableText(v)) uuids.push(v.toLowerCase());
        else if (typeof v === 'number' && Number.isFinite(v)) uuids.push(String(v));
        else {
          errors.invalid('uuids');
          break;
        }
      }
    }
    errors.throwIfAny();
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
  async ciliumAlert(agent: KasAgent, rawBody: unknown, params: RawBody): Promise<void> {
    let source = params;
    if (typeof rawBody === 'string') source = parseJsonObject(rawBody) ?? {};
    const errors = new ParamErrors();
    const alert = errors.hash(source.alert, 'alert', true);
    if (alert && !storableJson(alert)) errors.invalid('alert');
    errors.throwIfAny();
    if (!(await this.licensing.projectHasFeature(agent.project, 'cilium_alerts'))) throw forbidden();
    const text = JSON.stringify(alert);
    if (Buffer.byteLength(text, 'utf8') > 1024 * 1024 || depth(alert) > 20) throw new ApiError(400, { message: 'Bad Request' });
    const title = typeof alert!.title === 'string' ? truncate(alert!.title) : null;
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

/**, in the declaration order of the table (Grape reports every failing parameter). */
export function validateStarboard(params: RawBody): StarboardInput {
  const e = new ParamErrors();
  let v = e.hash(params.vulnerability, 'vulnerability', true);
  if (v && !storableJson(v)) v = e.invalid('vulnerability');
  let name: string | undefined;
  let severity: string | undefined;
  let confidence: string | undefined;
  let location: Hash | undefined;
  let kr: StarboardInput['kr'] | undefined;
  let packageName: string | undefined;
  let identifiers: Hash[] | undefined;
  let id0: StarboardInput['id0'] | undefined;
  let links: unknown[] | undefined;
  let message: string | undefined;
  let description: string | undefined;
  let solution: string | undefined;
  if (v) {
    name = e.string(v.name, 'vulnerability[name]', true);
    severity = e.oneOf(v.severity, 'vulnerability[severity]', SEVERITIES, true, lower);
    confidence = e.oneOf(v.confidence, 'vulnerability[confidence]', CONFIDENCES, false, lower) ?? 'unknown';
    location = e.hash(v.location, 'vulnerability[location]', true);
    if (location) {
      const p = 'vulnerability[location][kubernetes_resource]';
      const resource = e.hash(location.kubernetes_resource, p, true);
      if (resource) {
        const namespace = e.string(resource.namespace, `${p}[namespace]`, true);
        const krName = e.string(resource.name, `${p}[name]`, true);
        const kind = e.string(resource.kind, `${p}[kind]`, true);
        e.string(resource.container_name, `${p}[container_name]`);
        const container = e.string(resource.container, `${p}[container]`);
        e.string(resource.agent_id, `${p}[agent_id]`);
        kr = { namespace: namespace ?? '', name: krName ?? '', kind: kind ?? '', container };
      }
      e.string(location.image, 'vulnerability[location][image]');
      const dependency = e.hash(location.dependency, 'vulnerability[location][dependency]');
      if (dependency) {
        const pkg = e.hash(dependency.package, 'vulnerability[location][dependency][package]');
        if (pkg) packageName = e.string(pkg.name, 'vulnerability[location][dependency][package][name]');
        e.string(dependency.version, 'vulnerability[location][dependency][version]');
      }
      e.string(location.operating_system, 'vulnerability[location][operating_system]');
    }
    const ids = e.array(v.identifiers, 'vulnerability[identifiers]', true);
    if (ids) {
      if (!ids.length) e.add('vulnerability[identifiers] is empty');
      identifiers = [];
      ids.forEach((item, i) => {
        const p = `vulnerability[identifiers][${i}]`;
        if (!isHash(item)) return void e.invalid(p);
        e.string(item.type, `${p}[type]`, true);
        const idName = e.string(item.name, `${p}[name]`, true);
        e.string(item.value, `${p}[value]`);
        e.string(item.url, `${p}[url]`);
        const externalType = e.string(item.external_type, `${p}[external_type]`);
        const externalId = e.string(item.external_id, `${p}[external_id]`);
        if (i === 0 && idName !== undefined) id0 = { name: idName, external_type: externalType, external_id: externalId };
        identifiers!.push(item);
      });
    }
    message = e.string(v.message, 'vulnerability[message]');
    description = e.string(v.description, 'vulnerability[description]');
    solution = e.string(v.solution, 'vulnerability[solution]');
    links = e.array(v.links, 'vulnerability[links]');
  }
  let scanner: StarboardInput['scanner'] | undefined;
  let s = e.hash(params.scanner, 'scanner', true);
  if (s && !storableJson(s)) s = e.invalid('scanner');
  if (s) {
    const id = e.string(s.id, 'scanner[id]', true);
    const scannerName = e.string(s.name, 'scanner[name]', true);
    let vendor: string | undefined;
    if (absent(s.vendor)) e.missing('scanner[vendor]');
    else if (isHash(s.vendor)) vendor = e.string(s.vendor.name, 'scanner[vendor][name]', true);
    else vendor = e.string(s.vendor, 'scanner[vendor]');
    scanner = { id: id ?? '', name: scannerName ?? '', vendor: vendor ?? '' };
  }
  e.throwIfAny();
  return {
    vulnerability: v!,
    name: name!,
    severity: severity!,
    confidence: confidence!,
    location: location!,
    kr: kr!,
    packageName,
    identifiers: identifiers!,
    id0: id0!,
    message,
    description,
    solution,
    links,
    scanner: scanner!,
  };
}
