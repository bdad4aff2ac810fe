import { Global, Module } from '@nestjs/common';
import { registerEntities } from '../database/entity-registry';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApplicationSetting } from './entities/application-setting.entity';
import { ApplicationSettingsService } from './application-settings.service';

/** The tables this module owns (see database/entity-registry.ts). */
export const SETTINGS_ENTITIES = registerEntities([ApplicationSetting]);

@Global()
@Module({
  imports: [TypeOrmModule.forFeature(SETTINGS_ENTITIES)],
  providers: [ApplicationSettingsService],
  exports: [ApplicationSettingsService],
})
export class SettingsModule {}
