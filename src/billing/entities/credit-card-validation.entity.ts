import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { User } from '../../identity/entities/user.entity';

/** A user's credit-card validation; only hashes of the card data are stored. */
@Entity('user_credit_card_validations')
@Index('index_credit_card_validations_on_fingerprint_and_validated_at', ['stripe_card_fingerprint', 'credit_card_validated_at'])
@Index('index_user_credit_card_validations_on_zuora_payment_method_xid', { synchronize: false })
export class CreditCardValidation {
  @PrimaryColumn({ type: 'bigint' })
  user_id: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'timestamptz' })
  credit_card_validated_at: Date;

  @Column({ type: 'varchar', length: 44, nullable: true })
  expiration_date_hash: string | null;

  @Column({ type: 'varchar', length: 44, nullable: true })
  last_digits_hash: string | null;

  @Column({ type: 'varchar', length: 44, nullable: true })
  holder_name_hash: string | null;

  @Column({ type: 'varchar', length: 44, nullable: true })
  network_hash: string | null;

  @Column({ type: 'varchar', length: 50, nullable: true })
  zuora_payment_method_xid: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  stripe_setup_intent_xid: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  stripe_payment_method_xid: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  stripe_card_fingerprint: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
