import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ApplicationSetting } from './entities/application-setting.entity';

/** Instance settings, read fresh on every call (never cached: a change applies to the next request). */
@Injectable()
export class ApplicationSettingsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async current(manager: EntityManager = this.dataSource.manager): Promise<ApplicationSetting> {
    const row = await manager.getRepository(ApplicationSetting).findOne({ where: { id: 1 } });
    if (row) return row;
    // the migration creates the row; recreate it with defaults if an operator deleted it
    await manager.query(`INSERT INTO application_settings (id) VALUES (1) ON CONFLICT (id) DO NOTHING`);
    return (await manager.getRepository(ApplicationSetting).findOne({ where: { id: 1 } }))!;
  }

  async update(changes: Partial<Omit<ApplicationSetting, 'id' | 'created_at' | 'updated_at'>>): Promise<ApplicationSetting> {
    await this.current();
    if (Object.keys(changes).length) await this.dataSource.getRepository(ApplicationSetting).update({ id: 1 }, changes);
    return this.current();
  }
}
