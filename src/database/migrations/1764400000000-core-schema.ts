/* Core schema: the shared entities */
import { MigrationInterface, QueryRunner } from "typeorm";

export class CoreSchema1764400000000 implements MigrationInterface {
    name = 'CoreSchema1764400000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "users" (
                "id" BIGSERIAL NOT NULL,
                "username" character varying(255) NOT NULL,
                "name" character varying(255) NOT NULL,
                "email" character varying(255) NOT NULL,
                "notification_email" character varying(255),
                "encrypted_password" character varying(255),
                "state" character varying(32) NOT NULL DEFAULT 'active',
                "admin" boolean NOT NULL DEFAULT false,
                "external" boolean NOT NULL DEFAULT false,
                "enterprise_group_id" bigint,
                "failed_attempts" integer NOT NULL DEFAULT '0',
                "locked_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "check_users_state" CHECK (
                    "state" IN (
                        'active',
                        'blocked',
                        'ldap_blocked',
                        'blocked_pending_approval',
                        'deactivated'
                    )
                ),
                CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "index_users_on_enterprise_group_id" ON "users" ("enterprise_group_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "identities" (
                "id" BIGSERIAL NOT NULL,
                "user_id" bigint NOT NULL,
                "provider" character varying(255) NOT NULL,
                "extern_uid" character varying(255) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_7b2f8cccf4ac6a2d7e6e9e8b1f6" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "index_identities_on_user_id" ON "identities" ("user_id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "index_identities_on_provider_and_extern_uid" ON "identities" ("provider", "extern_uid")
        `);
        await queryRunner.query(`
            CREATE TABLE "keys" (
                "id" BIGSERIAL NOT NULL,
                "type" character varying(16) NOT NULL,
                "user_id" bigint,
                "title" character varying(255) NOT NULL,
                "key" text NOT NULL,
                "fingerprint" character varying(128) NOT NULL,
                "fingerprint_sha256" character varying(64) NOT NULL,
                "usage_type" character varying(20) NOT NULL DEFAULT 'auth_and_signing',
                "expires_at" TIMESTAMP WITH TIME ZONE,
                "last_used_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "check_keys_usage_type" CHECK (
                    "usage_type" IN ('auth_and_signing', 'auth', 'signing')
                ),
                CONSTRAINT "check_keys_type" CHECK ("type" IN ('Key', 'DeployKey')),
                CONSTRAINT "PK_e63d5d51e0192635ab79aa49644" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "index_keys_on_fingerprint" ON "keys" ("fingerprint")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "index_keys_on_fingerprint_sha256" ON "keys" ("fingerprint_sha256")
        `);
        await queryRunner.query(`
            CREATE INDEX "index_keys_on_user_id_and_type" ON "keys" ("user_id", "type")
        `);
        await queryRunner.query(`
            CREATE TABLE "personal_access_tokens" (
                "id" BIGSERIAL NOT NULL,
                "user_id" bigint NOT NULL,
                "name" character varying(255) NOT NULL,
                "token_digest" character(64) NOT NULL,
                "scopes" jsonb NOT NULL,
                "revoked" boolean NOT NULL DEFAULT false,
                "expires_at" date,
                "last_used_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_b6dc462fa11dbbb897eb8419735" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "index_personal_access_tokens_on_user_id" ON "personal_access_tokens" ("user_id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "index_personal_access_tokens_on_token_digest" ON "personal_access_tokens" ("token_digest")
        `);
        await queryRunner.query(`
            CREATE TABLE "members" (
                "id" BIGSERIAL NOT NULL,
                "source_type" character varying(16) NOT NULL,
                "source_id" bigint NOT NULL,
                "user_id" bigint NOT NULL,
                "access_level" smallint NOT NULL,
                "state" smallint NOT NULL DEFAULT '0',
                "requested_at" TIMESTAMP WITH TIME ZONE,
                "expires_at" date,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "check_members_access_level" CHECK ("access_level" IN (5, 10, 15, 20, 30, 40, 50)),
                CONSTRAINT "check_members_source_type" CHECK ("source_type" IN ('Project', 'Namespace')),
                CONSTRAINT "PK_28b53062261b996d9c99fa12404" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "index_members_on_user_id" ON "members" ("user_id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "index_members_on_source_and_user" ON "members" ("source_type", "source_id", "user_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "namespaces" (
                "id" BIGSERIAL NOT NULL,
                "type" character varying(16) NOT NULL,
                "name" character varying(255) NOT NULL,
                "path" character varying(255) NOT NULL,
                "full_path" character varying(1024) NOT NULL,
                "parent_id" bigint,
                "owner_id" bigint,
                "visibility_level" smallint NOT NULL DEFAULT '0',
                "enabled_git_access_protocol" character varying(8),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "check_namespaces_git_access_protocol" CHECK (
                    "enabled_git_access_protocol" IN ('all', 'ssh', 'http')
                ),
                CONSTRAINT "check_namespaces_type" CHECK ("type" IN ('User', 'Group')),
                CONSTRAINT "PK_35c142e0f0de70165cc1a74b2cb" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "index_namespaces_on_parent_id" ON "namespaces" ("parent_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "projects" (
                "id" BIGSERIAL NOT NULL,
                "namespace_id" bigint NOT NULL,
                "name" character varying(255) NOT NULL,
                "path" character varying(255) NOT NULL,
                "full_path" character varying(1024) NOT NULL,
                "disk_path" character varying(255) NOT NULL,
                "visibility_level" smallint NOT NULL DEFAULT '0',
                "repository_access_level" smallint NOT NULL DEFAULT '20',
                "archived" boolean NOT NULL DEFAULT false,
                "repository_read_only" boolean NOT NULL DEFAULT false,
                "lfs_enabled" boolean NOT NULL DEFAULT true,
                "default_branch" character varying(255),
                "repository_storage" character varying(255) NOT NULL,
                "printing_merge_request_link_enabled" boolean NOT NULL DEFAULT true,
                "pending_delete" boolean NOT NULL DEFAULT false,
                "creator_id" bigint,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "check_projects_repository_access_level" CHECK ("repository_access_level" IN (0, 10, 20)),
                CONSTRAINT "check_projects_visibility_level" CHECK ("visibility_level" IN (0, 10, 20)),
                CONSTRAINT "PK_6271df0a7aed1d6c0691ce6ac50" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "index_projects_on_namespace_id" ON "projects" ("namespace_id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "index_projects_on_disk_path" ON "projects" ("disk_path")
        `);
        await queryRunner.query(`
            ALTER TABLE "users"
            ADD CONSTRAINT "FK_4030ebab20fe1864572b3978677" FOREIGN KEY ("enterprise_group_id") REFERENCES "namespaces"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "identities"
            ADD CONSTRAINT "FK_88e77c008cfcfa6a87027a99bde" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "keys"
            ADD CONSTRAINT "FK_7343de75df3b0ac425986de1bab" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "personal_access_tokens"
            ADD CONSTRAINT "FK_705e457b9b167e4779e737ca3ef" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "members"
            ADD CONSTRAINT "FK_da404b5fd9c390e25338996e2d1" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "namespaces"
            ADD CONSTRAINT "FK_6d42df7b7257d46be060ff9e0f8" FOREIGN KEY ("parent_id") REFERENCES "namespaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "namespaces"
            ADD CONSTRAINT "FK_b2bad37e327f06ed7285fc33332" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "projects"
            ADD CONSTRAINT "FK_2ff83f8d06d453bdcb940be01f6" FOREIGN KEY ("namespace_id") REFERENCES "namespaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "projects"
            ADD CONSTRAINT "FK_4b86fad39217ca10aace123c7bd" FOREIGN KEY ("creator_id") REFERENCES "users"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);

        // Indexes TypeORM cannot express in entity metadata (expressions, partial); the entities mark them
        // `synchronize: false` so the migration generator leaves them alone.
        await queryRunner.query(`CREATE UNIQUE INDEX "index_users_on_lower_username" ON "users" (lower("username"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "index_users_on_lower_email" ON "users" (lower("email"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "index_namespaces_on_lower_full_path" ON "namespaces" (lower("full_path"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "index_namespaces_on_owner_id_user" ON "namespaces" ("owner_id") WHERE "type" = 'User'`);
        await queryRunner.query(`CREATE UNIQUE INDEX "index_projects_on_lower_full_path" ON "projects" (lower("full_path"))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "index_projects_on_lower_full_path"`);
        await queryRunner.query(`DROP INDEX "index_namespaces_on_owner_id_user"`);
        await queryRunner.query(`DROP INDEX "index_namespaces_on_lower_full_path"`);
        await queryRunner.query(`DROP INDEX "index_users_on_lower_email"`);
        await queryRunner.query(`DROP INDEX "index_users_on_lower_username"`);
        await queryRunner.query(`
            ALTER TABLE "projects" DROP CONSTRAINT "FK_4b86fad39217ca10aace123c7bd"
        `);
        await queryRunner.query(`
            ALTER TABLE "projects" DROP CONSTRAINT "FK_2ff83f8d06d453bdcb940be01f6"
        `);
        await queryRunner.query(`
            ALTER TABLE "namespaces" DROP CONSTRAINT "FK_b2bad37e327f06ed7285fc33332"
        `);
        await queryRunner.query(`
            ALTER TABLE "namespaces" DROP CONSTRAINT "FK_6d42df7b7257d46be060ff9e0f8"
        `);
        await queryRunner.query(`
            ALTER TABLE "members" DROP CONSTRAINT "FK_da404b5fd9c390e25338996e2d1"
        `);
        await queryRunner.query(`
            ALTER TABLE "personal_access_tokens" DROP CONSTRAINT "FK_705e457b9b167e4779e737ca3ef"
        `);
        await queryRunner.query(`
            ALTER TABLE "keys" DROP CONSTRAINT "FK_7343de75df3b0ac425986de1bab"
        `);
        await queryRunner.query(`
            ALTER TABLE "identities" DROP CONSTRAINT "FK_88e77c008cfcfa6a87027a99bde"
        `);
        await queryRunner.query(`
            ALTER TABLE "users" DROP CONSTRAINT "FK_4030ebab20fe1864572b3978677"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."index_projects_on_disk_path"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."index_projects_on_namespace_id"
        `);
        await queryRunner.query(`
            DROP TABLE "projects"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."index_namespaces_on_parent_id"
        `);
        await queryRunner.query(`
            DROP TABLE "namespaces"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."index_members_on_source_and_user"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."index_members_on_user_id"
        `);
        await queryRunner.query(`
            DROP TABLE "members"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."index_personal_access_tokens_on_token_digest"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."index_personal_access_tokens_on_user_id"
        `);
        await queryRunner.query(`
            DROP TABLE "personal_access_tokens"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."index_keys_on_user_id_and_type"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."index_keys_on_fingerprint_sha256"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."index_keys_on_fingerprint"
        `);
        await queryRunner.query(`
            DROP TABLE "keys"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."index_identities_on_provider_and_extern_uid"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."index_identities_on_user_id"
        `);
        await queryRunner.query(`
            DROP TABLE "identities"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."index_users_on_enterprise_group_id"
        `);
        await queryRunner.query(`
            DROP TABLE "users"
        `);
    }

}
