import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type PlanTier = 'free' | 'premium' | 'ultimate';

/** Hosted plans, seeded by migration with fixed ids. */
@Entity('plans')
export class Plan {
  @PrimaryColumn({ type: 'smallint' })
  id: number;

  @Index('index_plans_on_name', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'varchar', length: 255 })
  title: string;

  @Column({ type: 'varchar', length: 16 })
  tier: PlanTier;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
