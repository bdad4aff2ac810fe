import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorFunction, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { ReadReplicas } from '../database/read-replicas';
import { Lifecycle } from './lifecycle.service';

/**
 * GitLab's probe paths: liveness (the process answers) and readiness (database reachable, not draining). Readiness
 * details list the read replicas (reachable, in rotation, lag) without depending on them.
 */
@ApiExcludeController()
@Controller('-')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly lifecycle: Lifecycle,
    private readonly replicas: ReadReplicas,
  ) {}

  @Get('liveness')
  @HealthCheck()
  liveness() {
    return this.health.check([]);
  }

  @Get('readiness')
  @HealthCheck()
  readiness() {
    if (this.lifecycle.isDraining) throw new ServiceUnavailableException({ status: 'error', info: {}, error: { shutdown: { status: 'down' } }, details: {} });
    const checks: HealthIndicatorFunction[] = [() => this.db.pingCheck('database', { timeout: 2000 })];
    // replicas are reported, never required: without them reads go to the primary
    if (this.replicas.configured) checks.push(() => ({ database_replicas: { status: 'up' as const, replicas: this.replicas.statuses() } }));
    return this.health.check(checks);
  }
}
