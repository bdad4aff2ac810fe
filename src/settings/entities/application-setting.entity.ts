import { Check, Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The one row of instance settings, created with defaults by its migration. */
@Entity('application_settings')
@Check('check_application_settings_singleton', `"id" = 1`)
@Check('check_application_settings_git_access_protocol', `"enabled_git_access_protocol" IN ('ssh', 'http', '')`)
export class ApplicationSetting {
  @PrimaryColumn({ type: 'smallint' })
  id: number;

  /** null or '' = all protocols, 'ssh', 'http'. */
  @Column({ type: 'varchar', length: 8, nullable: true })
  enabled_git_access_protocol: string | null;

  /** MB; null = no limit. */
  @Column({ type: 'integer', nullable: true })
  receive_max_input_size: number | null;

  /** Operations per minute; 0 = unlimited. */
  @Column({ type: 'integer', default: 600 })
  gitlab_shell_operation_limit: number;

  @Column({ type: 'boolean', default: false })
  error_tracking_enabled: boolean;

  @Column({ type: 'boolean', default: true })
  require_personal_access_token_expiry: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
