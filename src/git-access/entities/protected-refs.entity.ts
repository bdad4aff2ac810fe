import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Key } from '../../identity/entities/key.entity';
import { Project } from '../../namespaces/entities/project.entity';

/** Levels of protected-ref rules: 0 No one, 30 Developers + Maintainers, 40 Maintainers, 60 Admins. */
export const PROTECTED_REF_LEVELS = [0, 30, 40, 60] as const;

/** A protected branch rule: an exact name or a `*` pattern. */
@Entity('protected_branches')
@Index('index_protected_branches_on_project_id_and_name', ['project_id', 'name'], { unique: true })
export class ProtectedBranch {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Column({ type: 'bigint' })
  project_id: number;

  @ManyToOne(() => Project, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: Project;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Column({ type: 'boolean', default: false })
  allow_force_push: boolean;

  @OneToMany(() => ProtectedBranchPushAccessLevel, (l) => l.protected_branch)
  push_access_levels?: ProtectedBranchPushAccessLevel[];

  @OneToMany(() => ProtectedBranchMergeAccessLevel, (l) => l.protected_branch)
  merge_access_levels?: ProtectedBranchMergeAccessLevel[];

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}

@Entity('protected_branch_push_access_levels')
@Check('check_protected_branch_push_access_levels_level', `"access_level" IN (0, 30, 40, 60)`)
@Check('check_protected_branch_push_access_levels_one_set', `("access_level" IS NULL) <> ("deploy_key_id" IS NULL)`)
export class ProtectedBranchPushAccessLevel {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Index('index_protected_branch_push_levels_on_protected_branch_id')
  @Column({ type: 'bigint' })
  protected_branch_id: number;

  @ManyToOne(() => ProtectedBranch, (b) => b.push_access_levels, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'protected_branch_id' })
  protected_branch?: ProtectedBranch;

  @Column({ type: 'smallint', nullable: true })
  access_level: number | null;

  @Index('index_protected_branch_push_access_levels_on_deploy_key_id')
  @Column({ type: 'bigint', nullable: true })
  deploy_key_id: number | null;

  @ManyToOne(() => Key, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'deploy_key_id' })
  deploy_key?: Key | null;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}

@Entity('protected_branch_merge_access_levels')
@Check('check_protected_branch_merge_access_levels_level', `"access_level" IN (0, 30, 40, 60)`)
export class ProtectedBranchMergeAccessLevel {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Index('index_protected_branch_merge_levels_on_protected_branch_id')
  @Column({ type: 'bigint' })
  protected_branch_id: number;

  @ManyToOne(() => ProtectedBranch, (b) => b.merge_access_levels, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'protected_branch_id' })
  protected_branch?: ProtectedBranch;

  @Column({ type: 'smallint' })
  access_level: number;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}

/** A protected tag rule: an exact name or a `*` pattern. */
@Entity('protected_tags')
@Index('index_protected_tags_on_project_id_and_name', ['project_id', 'name'], { unique: true })
export class ProtectedTag {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Column({ type: 'bigint' })
  project_id: number;

  @ManyToOne(() => Project, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: Project;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @OneToMany(() => ProtectedTagCreateAccessLevel, (l) => l.protected_tag)
  create_access_levels?: ProtectedTagCreateAccessLevel[];

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}

@Entity('protected_tag_create_access_levels')
@Check('check_protected_tag_create_access_levels_level', `"access_level" IN (0, 30, 40, 60)`)
@Check('check_protected_tag_create_access_levels_one_set', `("access_level" IS NULL) <> ("deploy_key_id" IS NULL)`)
export class ProtectedTagCreateAccessLevel {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Index('index_protected_tag_create_access_levels_on_protected_tag_id')
  @Column({ type: 'bigint' })
  protected_tag_id: number;

  @ManyToOne(() => ProtectedTag, (t) => t.create_access_levels, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'protected_tag_id' })
  protected_tag?: ProtectedTag;

  @Column({ type: 'smallint', nullable: true })
  access_level: number | null;

  @Index('index_protected_tag_create_access_levels_on_deploy_key_id')
  @Column({ type: 'bigint', nullable: true })
  deploy_key_id: number | null;

  @ManyToOne(() => Key, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'deploy_key_id' })
  deploy_key?: Key | null;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
