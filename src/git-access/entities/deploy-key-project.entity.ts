import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Key } from '../../identity/entities/key.entity';
import { Project } from '../../namespaces/entities/project.entity';

/** A deploy key enabled on a project; `can_push` makes it writable. */
@Entity('deploy_keys_projects')
@Index('index_deploy_keys_projects_on_project_id_and_deploy_key_id', ['project_id', 'deploy_key_id'], { unique: true })
export class DeployKeyProject {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Index('index_deploy_keys_projects_on_deploy_key_id')
  @Column({ type: 'bigint' })
  deploy_key_id: number;

  @ManyToOne(() => Key, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'deploy_key_id' })
  deploy_key?: Key;

  @Column({ type: 'bigint' })
  project_id: number;

  @ManyToOne(() => Project, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: Project;

  @Column({ type: 'boolean', default: false })
  can_push: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
