import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Namespace } from '../../namespaces/entities/namespace.entity';

/** A purchased compute-minutes pack; `purchase_xid` is globally unique. */
@Entity('ci_minutes_additional_packs')
export class AdditionalPack {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Index('index_ci_minutes_additional_packs_on_namespace_id')
  @Column({ type: 'bigint' })
  namespace_id: number;

  @ManyToOne(() => Namespace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'namespace_id' })
  namespace?: Namespace;

  @Column({ type: 'int' })
  number_of_minutes: number;

  @Column({ type: 'date', nullable: true })
  expires_at: string | null;

  @Index('index_ci_minutes_additional_packs_on_purchase_xid', { unique: true })
  @Column({ type: 'varchar', length: 32 })
  purchase_xid: string;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
