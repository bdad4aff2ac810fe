import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { User } from '../../identity/entities/user.entity';

export const ACCESS_LEVEL = {
  NO_ACCESS: 0,
  MINIMAL_ACCESS: 5,
  GUEST: 10,
  PLANNER: 15,
  REPORTER: 20,
  DEVELOPER: 30,
  MAINTAINER: 40,
  OWNER: 50,
} as const;
export const MEMBER_ACCESS_LEVELS = [5, 10, 15, 20, 30, 40, 50];
export type MemberSourceType = 'Project' | 'Namespace';
export const MEMBER_STATE = { active: 0, awaiting: 1 } as const;

@Entity('members')
@Index('index_members_on_source_and_user', ['source_type', 'source_id', 'user_id'], { unique: true })
@Check('check_members_source_type', `"source_type" IN ('Project', 'Namespace')`)
@Check('check_members_access_level', `"access_level" IN (5, 10, 15, 20, 30, 40, 50)`)
export class Member {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Column({ type: 'varchar', length: 16 })
  source_type: MemberSourceType;

  @Column({ type: 'bigint' })
  source_id: number;

  @Index('index_members_on_user_id')
  @Column({ type: 'bigint' })
  user_id: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'smallint' })
  access_level: number;

  @Column({ type: 'smallint', default: 0 })
  state: number;

  @Column({ type: 'timestamptz', nullable: true })
  requested_at: Date | null;

  /** Date (YYYY-MM-DD), kept as a string. */
  @Column({ type: 'date', nullable: true })
  expires_at: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
