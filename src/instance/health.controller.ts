import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Lifecycle } from './lifecycle.service';

/** GitLab's probe paths: liveness (the process answers) and readiness (database reachable, not draining). */
@ApiExcludeController()
@Controller('-')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly lifecycle: Lifecycle,
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
    return this.health.check([() => this.db.pingCheck('database', { timeout: 2000 })]);
  }
}
