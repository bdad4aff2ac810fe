import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Work a request promised to do later, written in the request's own transaction so that it survives a Redis
 * outage or a restart; relayed to its queue by `JobOutbox` and deleted by the job that does the work.
 */
@Entity('job_outbox')
export class JobOutboxEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Column({ type: 'varchar', length: 64 })
  queue: string;

  @Column({ type: 'jsonb' })
  data: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  /** When it was last handed to its queue; null = not yet. */
  @Index('index_job_outbox_on_relayed_at')
  @Column({ type: 'timestamptz', nullable: true })
  relayed_at: Date | null;

  /** How many times it was handed to its queue. */
  @Column({ type: 'integer', default: 0 })
  deliveries: number;
}
