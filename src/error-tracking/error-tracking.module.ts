import { Module } from '@nestjs/common';
import { registerEntities } from '../database/entity-registry';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NamespacesModule } from '../namespaces/namespaces.module';
import { SettingsModule } from '../settings/settings.module';
import { ErrorTrackingClientKey } from './entities/error-tracking-client-key.entity';
import { ErrorTrackingAdminController, ErrorTrackingInternalController } from './error-tracking.controller';
import { ErrorTrackingService } from './error-tracking.service';
import { ProjectErrorTrackingSetting } from './entities/project-error-tracking-setting.entity';

/** The tables this module owns (see database/entity-registry.ts). */
export const ERROR_TRACKING_ENTITIES = registerEntities([ProjectErrorTrackingSetting, ErrorTrackingClientKey]);

/** ErrorTracking: `/internal/error_tracking/allowed` and the admin settings and client keys. */
@Module({
  imports: [TypeOrmModule.forFeature(ERROR_TRACKING_ENTITIES), NamespacesModule, SettingsModule],
  controllers: [ErrorTrackingInternalController, ErrorTrackingAdminController],
  providers: [ErrorTrackingService],
  exports: [ErrorTrackingService],
})
export class ErrorTrackingModule {}
