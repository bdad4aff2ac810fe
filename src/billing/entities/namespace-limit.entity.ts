import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Namespace } from '../../namespaces/entities/namespace.entity';

/** Compute-minute and storage limits of a namespace. */
@Entity('namespace_limits')
export class NamespaceLimit {
  @PrimaryColumn({ type: 'bigint' })
  namespace_id: number;

  @ManyToOne(() => Namespace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'namespace_id' })
  namespace?: Namespace;

  @Column({ type: 'int', nullable: true })
  shared_runners_minutes_limit: number | null;

  @Column({ type: 'int', nullable: true })
  extra_shared_runners_minutes_limit: number | null;

  @Column({ type: 'bigint', default: 0 })
  additional_purchased_storage_size: number;

  @Column({ type: 'date', nullable: true })
  additional_purchased_storage_ends_on: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  last_ci_minutes_notification_at: Date | null;

  @Column({ type: 'int', nullable: true })
  last_ci_minutes_usage_notification_level: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
