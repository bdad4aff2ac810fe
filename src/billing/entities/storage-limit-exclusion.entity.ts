import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Namespace } from '../../namespaces/entities/namespace.entity';

/** A root namespace excluded from storage limits. */
@Entity('namespace_storage_limit_exclusions')
export class StorageLimitExclusion {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Index('index_namespace_storage_limit_exclusions_on_namespace_id', { unique: true })
  @Column({ type: 'bigint' })
  namespace_id: number;

  @ManyToOne(() => Namespace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'namespace_id' })
  namespace?: Namespace;

  @Column({ type: 'varchar', length: 255 })
  reason: string;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
