import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { User } from '../../identity/entities/user.entity';

export type NamespaceType = 'User' | 'Group';
export const VISIBILITY = { private: 0, internal: 10, public: 20 } as const;
export type VisibilityName = keyof typeof VISIBILITY;

@Entity('namespaces')
@Index('index_namespaces_on_lower_full_path', { synchronize: false })
@Index('index_namespaces_on_owner_id_user', { synchronize: false })
@Check('check_namespaces_type', `"type" IN ('User', 'Group')`)
@Check('check_namespaces_git_access_protocol', `"enabled_git_access_protocol" IN ('all', 'ssh', 'http')`)
export class Namespace {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Column({ type: 'varchar', length: 16 })
  type: NamespaceType;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Column({ type: 'varchar', length: 255 })
  path: string;

  @Column({ type: 'varchar', length: 1024 })
  full_path: string;

  @Index('index_namespaces_on_parent_id')
  @Column({ type: 'bigint', nullable: true })
  parent_id: number | null;

  @ManyToOne(() => Namespace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'parent_id' })
  parent?: Namespace | null;

  @Column({ type: 'bigint', nullable: true })
  owner_id: number | null;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'owner_id' })
  owner?: User | null;

  @Column({ type: 'smallint', default: 0 })
  visibility_level: number;

  @Column({ type: 'varchar', length: 8, nullable: true })
  enabled_git_access_protocol: 'all' | 'ssh' | 'http' | null;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
