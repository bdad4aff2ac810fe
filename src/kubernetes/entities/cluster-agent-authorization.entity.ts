import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Namespace } from '../../namespaces/entities/namespace.entity';
import { Project } from '../../namespaces/entities/project.entity';
import { ClusterAgent } from './cluster-agent.entity';

export type AccessKind = 'ci_access' | 'user_access';

/** A project or group an agent's configuration authorizes for CI or user access. */
@Entity('cluster_agent_authorizations')
@Check('check_cluster_agent_authorizations_one_target', `("project_id" IS NULL) <> ("group_id" IS NULL)`)
@Index('index_cluster_agent_authorizations_on_agent_kind_project', { synchronize: false })
@Index('index_cluster_agent_authorizations_on_agent_kind_group', { synchronize: false })
export class ClusterAgentAuthorization {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Column({ type: 'bigint' })
  agent_id: number;

  @ManyToOne(() => ClusterAgent, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agent_id' })
  agent?: ClusterAgent;

  @Column({ type: 'varchar', length: 16 })
  access_kind: AccessKind;

  @Index('index_cluster_agent_authorizations_on_project_id')
  @Column({ type: 'bigint', nullable: true })
  project_id: number | null;

  @ManyToOne(() => Project, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: Project | null;

  @Index('index_cluster_agent_authorizations_on_group_id')
  @Column({ type: 'bigint', nullable: true })
  group_id: number | null;

  @ManyToOne(() => Namespace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: Namespace | null;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  config: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
