import { Column, CreateDateColumn, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Project } from '../../namespaces/entities/project.entity';

/** A project's error tracking switch. */
@Entity('project_error_tracking_settings')
export class ProjectErrorTrackingSetting {
  @PrimaryColumn({ type: 'bigint' })
  project_id: number;

  @OneToOne(() => Project, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: Project;

  @Column({ type: 'boolean', default: false })
  enabled: boolean;

  /** The product's stand-in for GitLab's `gitlab_error_tracking` feature flag. */
  @Column({ type: 'boolean', default: true })
  integrated: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
