import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Namespace } from '../../namespaces/entities/namespace.entity';
import { SubscriptionAddOn } from './subscription-add-on.entity';

/** An add-on bought for a namespace: one per (namespace, add-on). */
@Entity('subscription_add_on_purchases')
@Index('index_add_on_purchases_on_namespace_and_add_on', ['namespace_id', 'subscription_add_on_id'], { unique: true })
export class SubscriptionAddOnPurchase {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Column({ type: 'bigint' })
  namespace_id: number;

  @ManyToOne(() => Namespace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'namespace_id' })
  namespace?: Namespace;

  @Index('index_add_on_purchases_on_subscription_add_on_id')
  @Column({ type: 'smallint' })
  subscription_add_on_id: number;

  @ManyToOne(() => SubscriptionAddOn)
  @JoinColumn({ name: 'subscription_add_on_id' })
  add_on?: SubscriptionAddOn;

  @Column({ type: 'int' })
  quantity: number;

  @Column({ type: 'date', nullable: true })
  started_at: string | null;

  @Column({ type: 'date' })
  expires_on: string;

  @Column({ type: 'varchar', length: 255 })
  purchase_xid: string;

  @Column({ type: 'boolean', default: false })
  trial: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
