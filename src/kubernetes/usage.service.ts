import { Injectable } from '@nestjs/common';
import { UsersService } from '../identity/users.service';
import { ProjectsService } from '../namespaces/projects.service';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { badRequest } from '../common/api-error';
import { AGENT_EVENTS, AgentEventsBody, COUNTERS, UNIQUE_COUNTERS, UsageMetricsBody } from './dto/kas.dto';

const LEGACY = [
  ['gitops_sync_count', 'gitops_sync'],
  ['k8s_api_proxy_request_count', 'k8s_api_proxy_request'],
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

  async usageMetrics(input: UsageMetricsBody): Promise<void> {
    const counts: [string, number][] = [];
    for (const name of COUNTERS) {
      const n = input.counters?.[name];
      if (n !== undefined) counts.push([name, n]);
    }
    const uniques = UNIQUE_COUNTERS.flatMap((name): [string, number[]][] => {
      const ids = input.unique_counters?.[name];
      return ids ? [[name, ids]] : [];
    });
    for (const [field, counter] of LEGACY) {
      const n = input[field];
      if (n !== undefined) counts.push([counter, n]);
    }
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

  async agentEvents(input: AgentEventsBody): Promise<void> {
    const wanted: { event: string; userId: number; projectId: number }[] = [];
    for (const name of AGENT_EVENTS) {
      for (const element of input.events?.[name] ?? []) {
        const { user_id: userId, project_id: projectId } = element;
        if (userId !== undefined && projectId !== undefined) wanted.push({ event: name, userId, projectId });
      }
    }
    if (!wanted.length) return;
    await this.dataSource.transaction(async (m) => {
      const userIds = [...new Set(wanted.map((w) => w.userId).filter((n) => n >= 1))];
      const projectIds = [...new Set(wanted.map((w) => w.projectId).filter((n) => n >= 1))];
      const knownUsers = await this.users.existingIds(userIds, m);
      const knownProjects = await this.projects.liveIds(projectIds, m);
      for (const w of wanted) {
        if (!knownUsers.has(w.userId) || !knownProjects.has(w.projectId)) continue;
        await m.query(`INSERT INTO kubernetes_agent_events (event_name, user_id, project_id) VALUES ($1, $3, $4), ($2, $3, $4)`, [
          w.event,
          'agent_users_using_ci_tunnel',
          w.userId,
          w.projectId,
        ]);
      }
    });
  }
}
