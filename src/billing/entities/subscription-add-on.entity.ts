import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Purchasable add-ons, seeded by migration with fixed ids. */
@Entity('subscription_add_ons')
export class SubscriptionAddOn {
  @PrimaryColumn({ type: 'smallint' })
  id: number;

  @Index('index_subscription_add_ons_on_name', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'varchar', length: 255 })
  description: string;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
