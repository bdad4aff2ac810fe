import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Namespace } from '../../namespaces/entities/namespace.entity';

/** The next seat reconciliation of a namespace: one per namespace. */
@Entity('upcoming_reconciliations')
export class UpcomingReconciliation {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Index('index_upcoming_reconciliations_on_namespace_id', { unique: true })
  @Column({ type: 'bigint' })
  namespace_id: number;

  @ManyToOne(() => Namespace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'namespace_id' })
  namespace?: Namespace;

  @Column({ type: 'date' })
  next_reconciliation_date: string;

  @Column({ type: 'date' })
  display_alert_from: string;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
