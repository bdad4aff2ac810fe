import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** Old full paths of renamed projects and namespaces. */
@Entity('redirect_routes')
@Index('index_redirect_routes_on_lower_path', { synchronize: false })
@Index('index_redirect_routes_on_source_type_and_source_id', ['source_type', 'source_id'])
@Check('check_redirect_routes_source_type', `"source_type" IN ('Project', 'Namespace')`)
export class RedirectRoute {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Column({ type: 'varchar', length: 16 })
  source_type: 'Project' | 'Namespace';

  @Column({ type: 'bigint' })
  source_id: number;

  @Column({ type: 'varchar', length: 1024 })
  path: string;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
