import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../../identity/entities/user.entity';
import { Project } from '../../namespaces/entities/project.entity';

/** One ref update of a push, recorded by the post-receive job. */
@Entity('push_events')
@Index('index_push_events_on_project_id_and_created_at', ['project_id', 'created_at'])
@Check('check_push_events_ref_type', `"ref_type" IN ('branch', 'tag', 'other')`)
@Check('check_push_events_action', `"action" IN ('created', 'pushed', 'removed')`)
export class PushEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Column({ type: 'bigint' })
  project_id: number;

  @ManyToOne(() => Project, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: Project;

  @Index('index_push_events_on_author_id')
  @Column({ type: 'bigint', nullable: true })
  author_id: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'author_id' })
  author?: User | null;

  @Column({ type: 'bigint', nullable: true })
  deploy_key_id: number | null;

  @Column({ type: 'text' })
  ref: string;

  @Column({ type: 'varchar', length: 8 })
  ref_type: 'branch' | 'tag' | 'other';

  @Column({ type: 'varchar', length: 8 })
  action: 'created' | 'pushed' | 'removed';

  @Column({ type: 'varchar', length: 64, nullable: true })
  commit_from: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  commit_to: string | null;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  push_options: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;
}
