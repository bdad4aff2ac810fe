import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApplicationSetting } from './application-setting.entity';
import { ApplicationSettingsService } from './application-settings.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([ApplicationSetting])],
  providers: [ApplicationSettingsService],
  exports: [ApplicationSettingsService],
})
export class SettingsModule {}
