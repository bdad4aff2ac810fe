import { DynamicModule, Module } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { AuthModule } from './auth/auth.module';
import { AppConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { LoggingModule } from './http/app-logger';
import { IdentityModule } from './identity/identity.module';
import { InstanceModule } from './instance/instance.module';
import { JobsModule } from './jobs/jobs.module';
import { NamespacesModule } from './namespaces/namespaces.module';
import { SharedStateModule } from './shared-state/shared-state.module';
import { BootstrapModule } from './bootstrap/bootstrap.module';
import { SettingsModule } from './settings/settings.module';
import { PaginationInterceptor } from './common/pagination';
import { AdminModule } from './admin/admin.module';
import { KeysModule } from './keys/keys.module';
import { ErrorTrackingModule } from './error-tracking/error-tracking.module';
import { BillingModule } from './billing/billing.module';
import { KubernetesModule } from './kubernetes/kubernetes.module';
import { ScimModule } from './scim/scim.module';
import { GitAccessModule } from './git-access/git-access.module';
import { LfsModule } from './lfs/lfs.module';

/** Feature modules, one per consumer family. Each exports only its service. */
export const FEATURE_MODULES: DynamicModule['imports'] = [
  // shared core
  IdentityModule,
  NamespacesModule,
  SettingsModule,
  InstanceModule,
  AdminModule,
  KeysModule,
  ErrorTrackingModule,
  BillingModule,
  KubernetesModule,
  ScimModule,
  GitAccessModule,
  LfsModule,
];

@Module({})
export class AppModule {
  /** `logStream`: where the JSON log lines go instead of standard output (tests read them there). */
  static forRoot(config: AppConfig, logStream?: DestinationStream): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config, logStream),
        DatabaseModule.forRoot(),
        SharedStateModule.forRoot(config),
        JobsModule,
        AuthModule,
        BootstrapModule,
        ...(FEATURE_MODULES ?? []),
      ],
      providers: [PaginationInterceptor],
    };
  }
}
