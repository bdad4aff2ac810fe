import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const USER_STATES = ['active', 'blocked', 'ldap_blocked', 'blocked_pending_approval', 'deactivated'] as const;
export type UserState = (typeof USER_STATES)[number];
/** "Blocked state" */
export const BLOCKED_STATES: UserState[] = ['blocked', 'ldap_blocked', 'blocked_pending_approval'];

@Entity('users')
@Index('index_users_on_lower_username', { synchronize: false })
@Index('index_users_on_lower_email', { synchronize: false })
@Check('check_users_state', `"state" IN ('active', 'blocked', 'ldap_blocked', 'blocked_pending_approval', 'deactivated')`)
export class User {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Column({ type: 'varchar', length: 255 })
  username: string;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Column({ type: 'varchar', length: 255 })
  email: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  notification_email: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  encrypted_password: string | null;

  @Column({ type: 'varchar', length: 32, default: 'active' })
  state: UserState;

  @Column({ type: 'boolean', default: false })
  admin: boolean;

  @Column({ type: 'boolean', default: false })
  external: boolean;

  @Index('index_users_on_enterprise_group_id')
  @Column({ type: 'bigint', nullable: true })
  enterprise_group_id: number | null;

  @ManyToOne('Namespace', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'enterprise_group_id' })
  enterprise_group?: unknown;

  @Column({ type: 'integer', default: 0 })
  failed_attempts: number;

  @Column({ type: 'timestamptz', nullable: true })
  locked_at: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
