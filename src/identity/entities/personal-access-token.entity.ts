import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { User } from './user.entity';

@Entity('personal_access_tokens')
export class PersonalAccessToken {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Index('index_personal_access_tokens_on_user_id')
  @Column({ type: 'bigint' })
  user_id: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  /** Lowercase hex SHA-256 of the full token; the token itself is never stored. */
  @Index('index_personal_access_tokens_on_token_digest', { unique: true })
  @Column({ type: 'char', length: 64 })
  token_digest: string;

  @Column({ type: 'jsonb' })
  scopes: string[];

  @Column({ type: 'boolean', default: false })
  revoked: boolean;

  /** Date (YYYY-MM-DD), kept as a string. */
  @Column({ type: 'date', nullable: true })
  expires_at: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  last_used_at: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
