import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Namespace } from '../../namespaces/entities/namespace.entity';

export const SCIM_DEFAULT_ACCESS_LEVELS = [5, 10, 20, 30, 40];
export const SCIM_DEFAULT_ACCESS_LEVEL = 10;

/** Per-group SCIM settings; no row means the defaults. */
@Entity('scim_group_settings')
@Check('check_scim_group_settings_default_access_level', `"default_access_level" IN (5, 10, 20, 30, 40)`)
export class ScimGroupSetting {
  @PrimaryColumn({ type: 'bigint' })
  group_id: number;

  @ManyToOne(() => Namespace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: Namespace;

  @Column({ type: 'smallint', default: SCIM_DEFAULT_ACCESS_LEVEL })
  default_access_level: number;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
