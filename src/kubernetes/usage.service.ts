import { Injectable } from '@nestjs/common';
import { UsersService } from '../identity/users.service';
import { ProjectsService } from '../namespaces/projects.service';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { badRequest } from '../common/api-error';
import { intParam, INVALID } from '../common/coerce';
import { absent, isHash, ParamErrors, RawBody } from './params';

export const COUNTERS = [
  'gitops_sync',
  'k8s_api_proxy_request',
  'flux_git_push_notifications_total',
  'k8s_api_proxy_requests_via_ci_access',
  'k8s_api_proxy_requests_via_user_access',
  'k8s_api_proxy_requests_via_pat_access',
] as const;

export const UNIQUE_COUNTERS = [
  'agent_users_using_ci_tunnel',
  'k8s_api_proxy_requests_unique_users_via_ci_access',
  'k8s_api_proxy_requests_unique_agents_via_ci_access',
  'k8s_api_proxy_requests_unique_users_via_user_access',
  'k8s_api_proxy_requests_unique_agents_via_user_access',
  'k8s_api_proxy_requests_unique_users_via_pat_access',
  'k8s_api_proxy_requests_unique_agents_via_pat_access',
  'flux_git_push_notified_unique_projects',
] as const;

const LEGACY: [string, string][] = [
  ['gitops_sync_count', 'gitops_sync'],
  ['k8s_api_proxy_request_count', 'k8s_api_proxy_request'],
];

export const AGENT_EVENTS = [
  'k8s_api_proxy_requests_unique_users_via_ci_access',
  'k8s_api_proxy_requests_unique_users_via_user_access',
  'k8s_api_proxy_requests_unique_users_via_pat_access',
] as const;

/** Monday of the current week (UTC), `YYYY-MM-DD`. */
export function weekStart(now: Date = new Date()): string {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

/** usage_metrics and agent_events: validated completely, then written in one transaction. */
@Injectable()
export class UsageService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly projects: ProjectsService,
  ) {}

  async usageMetrics(params: RawBody): Promise<void> {
    const errors = new ParamErrors();
    const counts: [string, number][] = [];
    const counters = errors.hash(params.counters, 'counters');
    if (counters) {
      for (const name of COUNTERS) {
        const n = errors.integer(counters[name], `counters[${name}]`);
        if (n !== undefined) counts.push([name, n]);
      }
    }
    const uniques: [string, number[]][] = [];
    const uniqueCounters = errors.hash(params.unique_counters, 'unique_counters');
    if (uniqueCounters) {
      for (const name of UNIQUE_COUNTERS) {
        const value = uniqueCounters[name];
        if (absent(value)) continue;
        const ids = Array.isArray(value) ? value.map((v) => (absent(v) ? INVALID : intParam(v))) : [INVALID];
        if (ids.some((v) => v === INVALID || v === undefined)) errors.invalid(`unique_counters[${name}]`);
        else uniques.push([name, ids as number[]]);
      }
    }
    for (const [field, counter] of LEGACY) {
      const n = errors.integer(params[field], field);
      if (n !== undefined) counts.push([counter, n]);
    }
    errors.throwIfAny();
    const negative = counts.find(([, n]) => n < 0);
    if (negative) throw badRequest(`${negative[0]} count must be greater than or equal to zero`);

    const week = weekStart();
    await this.dataSource.transaction(async (m) => {
      for (const [name, n] of counts) {
        if (n === 0) continue;
        await m.query(
          `INSERT INTO kubernetes_usage_counters (event_name, total) VALUES ($1, $2)
           ON CONFLICT (event_name) DO UPDATE SET total = kubernetes_usage_counters.total + EXCLUDED.total, updated_at = now()`,
          [name, n],
        );
      }
      for (const [name, ids] of uniques) {
        const distinct = [...new Set(ids)];
        if (!distinct.length) continue;
        await m.query(
          `INSERT INTO kubernetes_unique_usage_events (event_name, week_start, entity_id)
           SELECT $1, $2::date, unnest($3::bigint[]) ON CONFLICT DO NOTHING`,
          [name, week, distinct],
        );
      }
    });
  }

  async agentEvents(params: RawBody): Promise<void> {
    const errors = new ParamErrors();
    const wanted: { event: string; userId: number; projectId: number }[] = [];
    const events = errors.hash(params.events, 'events');
    if (events) {
      for (const name of AGENT_EVENTS) {
        const list = errors.array(events[name], `events[${name}]`);
        if (!list) continue;
        list.forEach((element, i) => {
          const path = `events[${name}][${i}]`;
          if (!isHash(element)) return void errors.invalid(path);
          const userId = errors.id(element.user_id, `${path}[user_id]`);
          const projectId = errors.id(element.project_id, `${path}[project_id]`);
          if (userId !== undefined && projectId !== undefined) wanted.push({ event: name, userId, projectId });
        });
      }
    }
    errors.throwIfAny();
    if (!wanted.length) return;
    await this.dataSource.transaction(async (m) => {
      const userIds = [...new Set(wanted.map((w) => w.userId).filter((n) => n >= 1))];
      const projectIds = [...new Set(wanted.map((w) => w.projectId).filter((n) => n >= 1))];
      const knownUsers = await this.users.existingIds(userIds, m);
      const knownProjects = await this.projects.liveIds(projectIds, m);
      for (const w of wanted) {
        if (!knownUsers.has(w.userId) || !knownProjects.has(w.projectId)) continue;
        await m.query(
          `INSERT INTO kubernetes_agent_events (event_name, user_id, project_id) VALUES ($1, $3, $4), ($2, $3, $4)`,
          [w.event, 'agent_users_using_ci_tunnel', w.userId, w.projectId],
        );
      }
    });
  }
}
