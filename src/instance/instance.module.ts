import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DatabaseOutage } from '../common/db-outage';
import { CheckController } from './check.controller';
import { HealthController } from './health.controller';
import { Lifecycle } from './lifecycle.service';
import { MetricsController } from './metrics.controller';

/** `/internal/check`, the probes and the metrics endpoint. */
@Global()
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [CheckController, HealthController, MetricsController],
  providers: [Lifecycle, DatabaseOutage],
  exports: [Lifecycle, DatabaseOutage],
})
export class InstanceModule {}
