import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Namespace } from '../../namespaces/entities/namespace.entity';
import { Project } from '../../namespaces/entities/project.entity';

/** Scan execution policies of a project or a group. */
@Entity('security_policy_configurations')
@Check('check_security_policy_configurations_one_owner', `("project_id" IS NULL) <> ("namespace_id" IS NULL)`)
export class SecurityPolicyConfiguration {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Index('index_security_policy_configurations_on_project_id', { unique: true })
  @Column({ type: 'bigint', nullable: true })
  project_id: number | null;

  @ManyToOne(() => Project, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: Project | null;

  @Index('index_security_policy_configurations_on_namespace_id', { unique: true })
  @Column({ type: 'bigint', nullable: true })
  namespace_id: number | null;

  @ManyToOne(() => Namespace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'namespace_id' })
  namespace?: Namespace | null;

  @Column({ type: 'jsonb' })
  policies: { scan_execution_policy: Record<string, unknown>[] };

  @Column({ type: 'timestamptz' })
  policy_last_updated_at: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
