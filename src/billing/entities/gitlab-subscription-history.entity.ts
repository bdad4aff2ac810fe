import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const HISTORY_CHANGE_TYPE = { updated: 1, destroyed: 2 } as const;

/** The previous values of a subscription before an update. */
@Entity('gitlab_subscription_histories')
export class GitlabSubscriptionHistory {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Index('index_gitlab_subscription_histories_on_gitlab_subscription_id')
  @Column({ type: 'bigint' })
  gitlab_subscription_id: number;

  @Column({ type: 'bigint' })
  namespace_id: number;

  @Column({ type: 'smallint' })
  change_type: number;

  @Column({ type: 'jsonb' })
  previous: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
