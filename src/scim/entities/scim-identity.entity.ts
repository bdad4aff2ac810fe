import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { User } from '../../identity/entities/user.entity';
import { Namespace } from '../../namespaces/entities/namespace.entity';

/** Unique index names; violations are mapped to 409s by name. */
export const SCIM_IDENTITY_INDEX = {
  groupExternUid: 'index_scim_identities_on_group_id_and_extern_uid',
  instanceExternUid: 'index_scim_identities_on_extern_uid_instance',
  groupUser: 'index_scim_identities_on_group_id_and_user_id',
  instanceUser: 'index_scim_identities_on_user_id_instance',
  groupUserName: 'index_scim_identities_on_group_id_and_lower_user_name',
  instanceUserName: 'index_scim_identities_on_lower_user_name_instance',
} as const;

/** A user's link to one SCIM scope: `group_id` NULL is the instance scope. */
@Entity('scim_identities')
@Index(SCIM_IDENTITY_INDEX.groupExternUid, { synchronize: false })
@Index(SCIM_IDENTITY_INDEX.instanceExternUid, { synchronize: false })
@Index(SCIM_IDENTITY_INDEX.groupUser, { synchronize: false })
@Index(SCIM_IDENTITY_INDEX.instanceUser, { synchronize: false })
@Index(SCIM_IDENTITY_INDEX.groupUserName, { synchronize: false })
@Index(SCIM_IDENTITY_INDEX.instanceUserName, { synchronize: false })
@Index('index_scim_identities_on_group_id_and_created_at', ['group_id', 'created_at', 'id'])
export class ScimIdentity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id: number;

  @Column({ type: 'bigint', nullable: true })
  group_id: number | null;

  @ManyToOne(() => Namespace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: Namespace | null;

  @Index('index_scim_identities_on_user_id')
  @Column({ type: 'bigint' })
  user_id: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  /** The SCIM `id` (= `externalId`), compared case-sensitively. */
  @Column({ type: 'varchar', length: 255 })
  extern_uid: string;

  /** `userName` exactly as the IdP sent it. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  user_name: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  given_name: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  family_name: string | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
