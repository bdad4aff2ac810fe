import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { User } from './user.entity';

@Entity('identities')
@Index('index_identities_on_provider_and_extern_uid', ['provider', 'extern_uid'], { unique: true })
export class Identity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Index('index_identities_on_user_id')
  @Column({ type: 'bigint' })
  user_id: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 255 })
  provider: string;

  @Column({ type: 'varchar', length: 255 })
  extern_uid: string;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
