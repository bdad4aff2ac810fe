import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Namespace } from '../../namespaces/entities/namespace.entity';

/** One live SCIM token per scope: `group_id` NULL is the instance token. */
@Entity('scim_access_tokens')
@Index('index_scim_access_tokens_on_group_id', { synchronize: false })
@Index('index_scim_access_tokens_instance', { synchronize: false })
export class ScimAccessToken {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ type: 'bigint', nullable: true })
  group_id: number | null;

  @ManyToOne(() => Namespace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: Namespace | null;

  /** Lowercase hex SHA-256 of the whole token, prefix included. */
  @Index('index_scim_access_tokens_on_token_digest', { unique: true })
  @Column({ type: 'char', length: 64 })
  token_digest: string;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  /** When the current token was issued. */
  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
