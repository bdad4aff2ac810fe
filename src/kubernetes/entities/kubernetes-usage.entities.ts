import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { User } from '../../identity/entities/user.entity';
import { Project } from '../../namespaces/entities/project.entity';

/** Running totals of kas usage counters. */
@Entity('kubernetes_usage_counters')
export class KubernetesUsageCounter {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  event_name: string;

  @Column({ type: 'bigint', default: 0 })
  total: number;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}

/** One entity counted once per unique event and week. */
@Entity('kubernetes_unique_usage_events')
export class KubernetesUniqueUsageEvent {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  event_name: string;

  /** Monday of the week, UTC (`YYYY-MM-DD`). */
  @PrimaryColumn({ type: 'date' })
  week_start: string;

  @PrimaryColumn({ type: 'bigint' })
  entity_id: number;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}

/** A user/project event reported by kas. */
@Entity('kubernetes_agent_events')
@Index('index_kubernetes_agent_events_on_event_name_and_recorded_at', ['event_name', 'recorded_at'])
export class KubernetesAgentEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Column({ type: 'varchar', length: 100 })
  event_name: string;

  @Index('index_kubernetes_agent_events_on_user_id')
  @Column({ type: 'bigint' })
  user_id: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Index('index_kubernetes_agent_events_on_project_id')
  @Column({ type: 'bigint' })
  project_id: number;

  @ManyToOne(() => Project, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: Project;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  recorded_at: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
