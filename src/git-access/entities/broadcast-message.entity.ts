import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** Instance broadcast messages; banners with `show_in_cli` reach `git push` output. */
@Entity('broadcast_messages')
@Index('index_broadcast_messages_on_ends_at_and_starts_at', ['ends_at', 'starts_at'])
@Check('check_broadcast_messages_type', `"broadcast_type" IN ('banner', 'notification')`)
export class BroadcastMessage {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Column({ type: 'text' })
  message: string;

  @Column({ type: 'varchar', length: 16, default: 'banner' })
  broadcast_type: 'banner' | 'notification';

  @Column({ type: 'timestamptz', default: () => 'now()' })
  starts_at: Date;

  @Column({ type: 'timestamptz', default: () => `(now() + '01:00:00')` })
  ends_at: Date;

  @Column({ type: 'boolean', default: true })
  show_in_cli: boolean;

  @Column({ type: 'varchar', length: 255, nullable: true })
  target_path: string | null;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  target_access_levels: number[];

  @Column({ type: 'boolean', default: false })
  dismissable: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
