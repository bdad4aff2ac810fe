import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { User } from './user.entity';

export const KEY_USAGE_TYPES = ['auth_and_signing', 'auth', 'signing'] as const;
export type KeyUsageType = (typeof KEY_USAGE_TYPES)[number];
export type KeyType = 'Key' | 'DeployKey';

/** User SSH keys and deploy keys, one table. */
@Entity('keys')
@Index('index_keys_on_user_id_and_type', ['user_id', 'type'])
@Check('check_keys_type', `"type" IN ('Key', 'DeployKey')`)
@Check('check_keys_usage_type', `"usage_type" IN ('auth_and_signing', 'auth', 'signing')`)
export class Key {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Column({ type: 'varchar', length: 16 })
  type: KeyType;

  @Column({ type: 'bigint', nullable: true })
  user_id: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'user_id' })
  user?: User | null;

  @Column({ type: 'varchar', length: 255 })
  title: string;

  @Column({ type: 'text' })
  key: string;

  @Index('index_keys_on_fingerprint')
  @Column({ type: 'varchar', length: 128 })
  fingerprint: string;

  @Index('index_keys_on_fingerprint_sha256', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  fingerprint_sha256: string;

  @Column({ type: 'varchar', length: 20, default: 'auth_and_signing' })
  usage_type: KeyUsageType;

  @Column({ type: 'timestamptz', nullable: true })
  expires_at: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  last_used_at: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
