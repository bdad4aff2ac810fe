import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { User } from '../../identity/entities/user.entity';
import { Project } from '../../namespaces/entities/project.entity';

/** A GitLab agent for Kubernetes registered in its configuration project. */
@Entity('cluster_agents')
@Index('index_cluster_agents_on_project_id_and_name', ['project_id', 'name'], { unique: true })
export class ClusterAgent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Column({ type: 'bigint' })
  project_id: number;

  @ManyToOne(() => Project, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: Project;

  @Column({ type: 'varchar', length: 63 })
  name: string;

  @Index('index_cluster_agents_on_created_by_user_id')
  @Column({ type: 'bigint', nullable: true })
  created_by_user_id: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by_user_id' })
  created_by_user?: User | null;

  @Column({ type: 'boolean', default: false })
  has_vulnerabilities: boolean;

  /** The last `agent_config` kas sent. */
  @Column({ type: 'jsonb', nullable: true })
  config: Record<string, unknown> | null;

  @Column({ type: 'timestamptz', nullable: true })
  config_received_at: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
