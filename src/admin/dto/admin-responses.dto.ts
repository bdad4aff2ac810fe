import { ApiProperty } from '@nestjs/swagger';

export class IdentityEntity {
  @ApiProperty({ example: 'kerberos' }) provider: string;
  @ApiProperty({ example: 'alice@EXAMPLE.COM' }) extern_uid: string;
}

export class UserEntity {
  @ApiProperty({ example: 2 }) id: number;
  @ApiProperty({ example: 'alice' }) username: string;
  @ApiProperty({ example: 'Alice Example' }) name: string;
  @ApiProperty({ enum: ['active', 'blocked', 'ldap_blocked', 'blocked_pending_approval', 'deactivated'] }) state: string;
  @ApiProperty({ example: 'alice@example.com' }) email: string;
  @ApiProperty() is_admin: boolean;
  @ApiProperty() external: boolean;
  @ApiProperty({ type: 'integer', nullable: true }) enterprise_group_id: number | null;
  @ApiProperty() two_factor_enabled: boolean;
  @ApiProperty({ type: [IdentityEntity] }) identities: IdentityEntity[];
  @ApiProperty({ example: '2026-01-31T12:00:00.000Z' }) created_at: string;
}

export class SshKeyEntity {
  @ApiProperty({ example: 1 }) id: number;
  @ApiProperty({ example: 'laptop' }) title: string;
  @ApiProperty({ example: '2026-01-31T12:00:00.000Z' }) created_at: string;
  @ApiProperty({ type: 'string', nullable: true, example: null }) expires_at: string | null;
  @ApiProperty({ example: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA… Alice Example (gitlab.example.com)', description: 'The comment is replaced by the owner name and the host of EXTERNAL_URL' })
  key: string;
  @ApiProperty({ enum: ['auth_and_signing', 'auth', 'signing'] }) usage_type: string;
}

export class PersonalAccessTokenEntity {
  @ApiProperty({ example: 1 }) id: number;
  @ApiProperty({ example: 'ci' }) name: string;
  @ApiProperty() revoked: boolean;
  @ApiProperty({ example: '2026-01-31T12:00:00.000Z' }) created_at: string;
  @ApiProperty({ type: [String], example: ['api'] }) scopes: string[];
  @ApiProperty({ example: 2 }) user_id: number;
  @ApiProperty({ type: 'string', nullable: true, example: null }) last_used_at: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty({ type: 'string', nullable: true, example: '2027-01-31' }) expires_at: string | null;
  @ApiProperty({ example: 'glpat-xxxxxxxxxxxxxxxxxxxx', description: 'Only in the creation answer' }) token: string;
}

export class GroupEntity {
  @ApiProperty({ example: 3 }) id: number;
  @ApiProperty({ example: 'Group' }) name: string;
  @ApiProperty({ example: 'grp' }) path: string;
  @ApiProperty({ example: 'grp' }) full_path: string;
  @ApiProperty({ type: 'integer', nullable: true }) parent_id: number | null;
  @ApiProperty({ enum: ['private', 'internal', 'public'] }) visibility: string;
  @ApiProperty({ type: 'string', nullable: true, description: '`all`, `ssh`, `http` or null' }) enabled_git_access_protocol: string | null;
  @ApiProperty({ example: 'https://gitlab.example.com/groups/grp' }) web_url: string;
}

export class MemberEntity {
  @ApiProperty({ example: 2, description: 'The user id' }) id: number;
  @ApiProperty({ example: 'alice' }) username: string;
  @ApiProperty({ example: 'Alice Example' }) name: string;
  @ApiProperty({ example: 'active', description: "The user's state" }) state: string;
  @ApiProperty({ example: 30 }) access_level: number;
  @ApiProperty({ type: 'string', nullable: true, example: null }) expires_at: string | null;
  @ApiProperty({ enum: ['active', 'awaiting'] }) membership_state: string;
}

export class ProjectNamespaceEntity {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty() path: string;
  @ApiProperty({ enum: ['user', 'group'] }) kind: string;
  @ApiProperty() full_path: string;
}

export class ProjectEntity {
  @ApiProperty({ example: 5 }) id: number;
  @ApiProperty({ example: 'priv' }) name: string;
  @ApiProperty({ example: 'priv' }) path: string;
  @ApiProperty({ example: 'grp/priv' }) path_with_namespace: string;
  @ApiProperty({ type: ProjectNamespaceEntity }) namespace: ProjectNamespaceEntity;
  @ApiProperty({ enum: ['private', 'internal', 'public'] }) visibility: string;
  @ApiProperty() archived: boolean;
  @ApiProperty({ type: 'string', nullable: true, example: 'main' }) default_branch: string | null;
  @ApiProperty({ enum: ['disabled', 'private', 'enabled'] }) repository_access_level: string;
  @ApiProperty() lfs_enabled: boolean;
  @ApiProperty() printing_merge_request_link_enabled: boolean;
  @ApiProperty({ example: 'default' }) repository_storage: string;
  @ApiProperty() repository_read_only: boolean;
  @ApiProperty({ example: 'https://gitlab.example.com/grp/priv' }) web_url: string;
  @ApiProperty({ example: 'git@gitlab.example.com:grp/priv.git' }) ssh_url_to_repo: string;
  @ApiProperty({ example: 'https://gitlab.example.com/grp/priv.git' }) http_url_to_repo: string;
  @ApiProperty({ example: '2026-01-31T12:00:00.000Z' }) created_at: string;
}

export class AcceptedResponse {
  @ApiProperty({ example: '202 Accepted' }) message: string;
}
