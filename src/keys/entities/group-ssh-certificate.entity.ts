import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Namespace } from '../../namespaces/entities/namespace.entity';

/** A CA key trusted by a top-level group for SSH certificates. */
@Entity('group_ssh_certificates')
export class GroupSshCertificate {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Index('index_group_ssh_certificates_on_namespace_id')
  @Column({ type: 'bigint' })
  namespace_id: number;

  @ManyToOne(() => Namespace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'namespace_id' })
  namespace?: Namespace;

  @Column({ type: 'varchar', length: 255 })
  title: string;

  /** The CA public key line. */
  @Column({ type: 'text' })
  key: string;

  /** Unpadded standard base64 of SHA-256 of the CA key blob (as `keys.fingerprint_sha256`). */
  @Index('index_group_ssh_certificates_on_fingerprint', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  fingerprint: string;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
