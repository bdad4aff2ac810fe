import { Column, CreateDateColumn, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { User } from '../../identity/entities/user.entity';

/** A user's two-factor authentication: the row exists exactly when 2FA is enabled. */
@Entity('user_two_factor')
export class UserTwoFactor {
  @PrimaryColumn({ type: 'bigint' })
  user_id: number;

  @OneToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  /** base64 of IV (12 bytes) ‖ GCM tag (16 bytes) ‖ AES-256-GCM ciphertext of the base32 secret. */
  @Column({ type: 'text' })
  otp_secret_encrypted: string;

  /** Lowercase hex SHA-256 of each recovery code. */
  @Column({ type: 'jsonb', default: () => `'[]'` })
  otp_backup_code_digests: string[];

  /** The last TOTP time step that was accepted (replay protection). */
  @Column({ type: 'bigint', nullable: true })
  consumed_timestep: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
