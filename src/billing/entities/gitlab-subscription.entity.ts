import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Namespace } from '../../namespaces/entities/namespace.entity';
import { Plan } from './plan.entity';

/** A namespace's subscription: one per namespace. */
@Entity('gitlab_subscriptions')
export class GitlabSubscription {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Index('index_gitlab_subscriptions_on_namespace_id', { unique: true })
  @Column({ type: 'bigint' })
  namespace_id: number;

  @ManyToOne(() => Namespace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'namespace_id' })
  namespace?: Namespace;

  @Index('index_gitlab_subscriptions_on_hosted_plan_id')
  @Column({ type: 'smallint', nullable: true })
  hosted_plan_id: number | null;

  @ManyToOne(() => Plan)
  @JoinColumn({ name: 'hosted_plan_id' })
  hosted_plan?: Plan | null;

  /** Dates are kept as `YYYY-MM-DD` strings. */
  @Column({ type: 'date' })
  start_date: string;

  @Column({ type: 'date', nullable: true })
  end_date: string | null;

  @Column({ type: 'int', default: 0 })
  seats: number;

  @Column({ type: 'int', default: 0 })
  seats_in_use: number;

  @Column({ type: 'int', default: 0 })
  max_seats_used: number;

  @Column({ type: 'int', default: 0 })
  seats_owed: number;

  @Column({ type: 'timestamptz', nullable: true })
  max_seats_used_changed_at: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  last_seat_refresh_at: Date | null;

  @Column({ type: 'boolean', nullable: true })
  auto_renew: boolean | null;

  @Column({ type: 'boolean', default: false })
  trial: boolean;

  @Column({ type: 'date', nullable: true })
  trial_starts_on: string | null;

  @Column({ type: 'date', nullable: true })
  trial_ends_on: string | null;

  /** 1 = extended, 2 = reactivated. */
  @Column({ type: 'smallint', nullable: true })
  trial_extension_type: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
