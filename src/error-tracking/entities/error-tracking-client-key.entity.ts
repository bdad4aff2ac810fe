import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Project } from '../../namespaces/entities/project.entity';

/** A Sentry-style DSN key of a project. */
@Entity('error_tracking_client_keys')
@Index('index_error_tracking_client_keys_on_project_id_and_public_key', ['project_id', 'public_key'])
export class ErrorTrackingClientKey {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Column({ type: 'bigint' })
  project_id: number;

  @ManyToOne(() => Project, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: Project;

  /** `glet_` + 32 lowercase hex characters. */
  @Index('index_error_tracking_client_keys_on_public_key', { unique: true })
  @Column({ type: 'varchar', length: 255 })
  public_key: string;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
