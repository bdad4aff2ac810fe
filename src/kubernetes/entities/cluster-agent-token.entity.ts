import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { User } from '../../identity/entities/user.entity';
import { Project } from '../../namespaces/entities/project.entity';
import { ClusterAgent } from './cluster-agent.entity';

export const TOKEN_STATUS = { active: 0, revoked: 1 } as const;

/** An agent token; only its SHA-256 digest is stored. */
@Entity('cluster_agent_tokens')
@Index('index_cluster_agent_tokens_on_agent_id_and_status', ['agent_id', 'status'])
export class ClusterAgentToken {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Column({ type: 'bigint' })
  agent_id: number;

  @ManyToOne(() => ClusterAgent, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agent_id' })
  agent?: ClusterAgent;

  @Index('index_cluster_agent_tokens_on_project_id')
  @Column({ type: 'bigint' })
  project_id: number;

  @ManyToOne(() => Project, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: Project;

  @Index('index_cluster_agent_tokens_on_token_digest', { unique: true })
  @Column({ type: 'char', length: 64 })
  token_digest: string;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Column({ type: 'varchar', length: 1024, nullable: true })
  description: string | null;

  /** 0 = active, 1 = revoked. */
  @Column({ type: 'smallint', default: 0 })
  status: number;

  @Index('index_cluster_agent_tokens_on_created_by_user_id')
  @Column({ type: 'bigint', nullable: true })
  created_by_user_id: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by_user_id' })
  created_by_user?: User | null;

  @Column({ type: 'timestamptz', nullable: true })
  last_used_at: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
