import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { User } from '../../identity/entities/user.entity';
import { Namespace } from './namespace.entity';

export const REPOSITORY_ACCESS = { disabled: 0, private: 10, enabled: 20 } as const;

@Entity('projects')
@Index('index_projects_on_lower_full_path', { synchronize: false })
@Check('check_projects_visibility_level', `"visibility_level" IN (0, 10, 20)`)
@Check('check_projects_repository_access_level', `"repository_access_level" IN (0, 10, 20)`)
export class Project {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Index('index_projects_on_namespace_id')
  @Column({ type: 'bigint' })
  namespace_id: number;

  @ManyToOne(() => Namespace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'namespace_id' })
  namespace?: Namespace;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Column({ type: 'varchar', length: 255 })
  path: string;

  @Column({ type: 'varchar', length: 1024 })
  full_path: string;

  /** `@hashed/<h0..1>/<h2..3>/<sha256(id)>`; a placeholder until the id is known inside the insert transaction. */
  @Index('index_projects_on_disk_path', { unique: true })
  @Column({ type: 'varchar', length: 255 })
  disk_path: string;

  @Column({ type: 'smallint', default: 0 })
  visibility_level: number;

  @Column({ type: 'smallint', default: 20 })
  repository_access_level: number;

  @Column({ type: 'boolean', default: false })
  archived: boolean;

  @Column({ type: 'boolean', default: false })
  repository_read_only: boolean;

  @Column({ type: 'boolean', default: true })
  lfs_enabled: boolean;

  @Column({ type: 'varchar', length: 255, nullable: true })
  default_branch: string | null;

  @Column({ type: 'varchar', length: 255 })
  repository_storage: string;

  @Column({ type: 'boolean', default: true })
  printing_merge_request_link_enabled: boolean;

  @Column({ type: 'boolean', default: false })
  pending_delete: boolean;

  @Column({ type: 'bigint', nullable: true })
  creator_id: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'creator_id' })
  creator?: User | null;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
