import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Project } from '../../namespaces/entities/project.entity';
import { ClusterAgent } from './cluster-agent.entity';

/** A Cilium network alert (legacy). */
@Entity('cluster_agent_alerts')
export class ClusterAgentAlert {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Index('index_cluster_agent_alerts_on_agent_id')
  @Column({ type: 'bigint' })
  agent_id: number;

  @ManyToOne(() => ClusterAgent, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agent_id' })
  agent?: ClusterAgent;

  @Index('index_cluster_agent_alerts_on_project_id')
  @Column({ type: 'bigint' })
  project_id: number;

  @ManyToOne(() => Project, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: Project;

  @Column({ type: 'varchar', length: 255, nullable: true })
  title: string | null;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
