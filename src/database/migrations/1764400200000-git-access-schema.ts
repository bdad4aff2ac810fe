/* GitAccess: deploy keys on projects, protected refs, broadcast messages, push events. */
import { MigrationInterface, QueryRunner } from "typeorm";

export class GitAccessSchema1764400200000 implements MigrationInterface {
    name = 'GitAccessSchema1764400200000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "deploy_keys_projects" ("id" BIGSERIAL NOT NULL, "deploy_key_id" bigint NOT NULL, "project_id" bigint NOT NULL, "can_push" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ec1d7d2aa1658b4f6592ae464f5" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "index_deploy_keys_projects_on_deploy_key_id" ON "deploy_keys_projects"  ("deploy_key_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "index_deploy_keys_projects_on_project_id_and_deploy_key_id" ON "deploy_keys_projects"  ("project_id", "deploy_key_id") `);
        await queryRunner.query(`CREATE TABLE "protected_branches" ("id" BIGSERIAL NOT NULL, "project_id" bigint NOT NULL, "name" character varying(255) NOT NULL, "allow_force_push" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_79a47d0f42e69579026b4d65680" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "index_protected_branches_on_project_id_and_name" ON "protected_branches"  ("project_id", "name") `);
        await queryRunner.query(`CREATE TABLE "protected_branch_push_access_levels" ("id" BIGSERIAL NOT NULL, "protected_branch_id" bigint NOT NULL, "access_level" smallint, "deploy_key_id" bigint, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "check_protected_branch_push_access_levels_one_set" CHECK (("access_level" IS NULL) <> ("deploy_key_id" IS NULL)), CONSTRAINT "check_protected_branch_push_access_levels_level" CHECK ("access_level" IN (0, 30, 40, 60)), CONSTRAINT "PK_667dc2aa01d250ff3e92bc99843" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "index_protected_branch_push_levels_on_protected_branch_id" ON "protected_branch_push_access_levels"  ("protected_branch_id") `);
        await queryRunner.query(`CREATE INDEX "index_protected_branch_push_access_levels_on_deploy_key_id" ON "protected_branch_push_access_levels"  ("deploy_key_id") `);
        await queryRunner.query(`CREATE TABLE "protected_branch_merge_access_levels" ("id" BIGSERIAL NOT NULL, "protected_branch_id" bigint NOT NULL, "access_level" smallint NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "check_protected_branch_merge_access_levels_level" CHECK ("access_level" IN (0, 30, 40, 60)), CONSTRAINT "PK_843b79b0b84b404722accb8144c" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "index_protected_branch_merge_levels_on_protected_branch_id" ON "protected_branch_merge_access_levels"  ("protected_branch_id") `);
        await queryRunner.query(`CREATE TABLE "protected_tags" ("id" BIGSERIAL NOT NULL, "project_id" bigint NOT NULL, "name" character varying(255) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_77cfb57605260d11d72c28d9e65" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "index_protected_tags_on_project_id_and_name" ON "protected_tags"  ("project_id", "name") `);
        await queryRunner.query(`CREATE TABLE "protected_tag_create_access_levels" ("id" BIGSERIAL NOT NULL, "protected_tag_id" bigint NOT NULL, "access_level" smallint, "deploy_key_id" bigint, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "check_protected_tag_create_access_levels_one_set" CHECK (("access_level" IS NULL) <> ("deploy_key_id" IS NULL)), CONSTRAINT "check_protected_tag_create_access_levels_level" CHECK ("access_level" IN (0, 30, 40, 60)), CONSTRAINT "PK_5e62682b3f63ce9c26ebc21a31e" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "index_protected_tag_create_access_levels_on_protected_tag_id" ON "protected_tag_create_access_levels"  ("protected_tag_id") `);
        await queryRunner.query(`CREATE INDEX "index_protected_tag_create_access_levels_on_deploy_key_id" ON "protected_tag_create_access_levels"  ("deploy_key_id") `);
        await queryRunner.query(`CREATE TABLE "broadcast_messages" ("id" BIGSERIAL NOT NULL, "message" text NOT NULL, "broadcast_type" character varying(16) NOT NULL DEFAULT 'banner', "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT (now() + '01:00:00'::interval), "show_in_cli" boolean NOT NULL DEFAULT true, "target_path" character varying(255), "target_access_levels" jsonb NOT NULL DEFAULT '[]', "dismissable" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "check_broadcast_messages_type" CHECK ("broadcast_type" IN ('banner', 'notification')), CONSTRAINT "PK_f62e2c8a3a5b201cf0dd6f80e29" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "index_broadcast_messages_on_ends_at_and_starts_at" ON "broadcast_messages"  ("ends_at", "starts_at") `);
        await queryRunner.query(`CREATE TABLE "push_events" ("id" BIGSERIAL NOT NULL, "project_id" bigint NOT NULL, "author_id" bigint, "deploy_key_id" bigint, "ref" text NOT NULL, "ref_type" character varying(8) NOT NULL, "action" character varying(8) NOT NULL, "commit_from" character varying(64), "commit_to" character varying(64), "push_options" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "check_push_events_action" CHECK ("action" IN ('created', 'pushed', 'removed')), CONSTRAINT "check_push_events_ref_type" CHECK ("ref_type" IN ('branch', 'tag', 'other')), CONSTRAINT "PK_8d45005c6c69bcac42cb7faf460" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "index_push_events_on_author_id" ON "push_events"  ("author_id") `);
        await queryRunner.query(`CREATE INDEX "index_push_events_on_project_id_and_created_at" ON "push_events"  ("project_id", "created_at") `);
        await queryRunner.query(`ALTER TABLE "deploy_keys_projects" ADD CONSTRAINT "FK_2ee8e32e02c707b821c88e386c3" FOREIGN KEY ("deploy_key_id") REFERENCES "keys"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "deploy_keys_projects" ADD CONSTRAINT "FK_fcc6d46bf09dabe7beaf23f3ef6" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "protected_branches" ADD CONSTRAINT "FK_6421da4e5ab99f8cba792224ebc" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "protected_branch_push_access_levels" ADD CONSTRAINT "FK_a454ed789ded11904078f979647" FOREIGN KEY ("protected_branch_id") REFERENCES "protected_branches"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "protected_branch_push_access_levels" ADD CONSTRAINT "FK_39099981138c83800373434e25b" FOREIGN KEY ("deploy_key_id") REFERENCES "keys"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "protected_branch_merge_access_levels" ADD CONSTRAINT "FK_9764d767711f3c8023c6ad2c862" FOREIGN KEY ("protected_branch_id") REFERENCES "protected_branches"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "protected_tags" ADD CONSTRAINT "FK_8eda4c16c5da84e0c4e45db3f76" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "protected_tag_create_access_levels" ADD CONSTRAINT "FK_84e0b6f2dc0ad886f0837846ae5" FOREIGN KEY ("protected_tag_id") REFERENCES "protected_tags"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "protected_tag_create_access_levels" ADD CONSTRAINT "FK_b1efa6f9734541345c73d39e05a" FOREIGN KEY ("deploy_key_id") REFERENCES "keys"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "push_events" ADD CONSTRAINT "FK_f73121babd81e40fa3b486a1858" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "push_events" ADD CONSTRAINT "FK_0926715c96c4455b730c80b09e0" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "push_events" DROP CONSTRAINT "FK_0926715c96c4455b730c80b09e0"`);
        await queryRunner.query(`ALTER TABLE "push_events" DROP CONSTRAINT "FK_f73121babd81e40fa3b486a1858"`);
        await queryRunner.query(`ALTER TABLE "protected_tag_create_access_levels" DROP CONSTRAINT "FK_b1efa6f9734541345c73d39e05a"`);
        await queryRunner.query(`ALTER TABLE "protected_tag_create_access_levels" DROP CONSTRAINT "FK_84e0b6f2dc0ad886f0837846ae5"`);
        await queryRunner.query(`ALTER TABLE "protected_tags" DROP CONSTRAINT "FK_8eda4c16c5da84e0c4e45db3f76"`);
        await queryRunner.query(`ALTER TABLE "protected_branch_merge_access_levels" DROP CONSTRAINT "FK_9764d767711f3c8023c6ad2c862"`);
        await queryRunner.query(`ALTER TABLE "protected_branch_push_access_levels" DROP CONSTRAINT "FK_39099981138c83800373434e25b"`);
        await queryRunner.query(`ALTER TABLE "protected_branch_push_access_levels" DROP CONSTRAINT "FK_a454ed789ded11904078f979647"`);
        await queryRunner.query(`ALTER TABLE "protected_branches" DROP CONSTRAINT "FK_6421da4e5ab99f8cba792224ebc"`);
        await queryRunner.query(`ALTER TABLE "deploy_keys_projects" DROP CONSTRAINT "FK_fcc6d46bf09dabe7beaf23f3ef6"`);
        await queryRunner.query(`ALTER TABLE "deploy_keys_projects" DROP CONSTRAINT "FK_2ee8e32e02c707b821c88e386c3"`);
        await queryRunner.query(`DROP INDEX "public"."index_push_events_on_project_id_and_created_at"`);
        await queryRunner.query(`DROP INDEX "public"."index_push_events_on_author_id"`);
        await queryRunner.query(`DROP TABLE "push_events"`);
        await queryRunner.query(`DROP INDEX "public"."index_broadcast_messages_on_ends_at_and_starts_at"`);
        await queryRunner.query(`DROP TABLE "broadcast_messages"`);
        await queryRunner.query(`DROP INDEX "public"."index_protected_tag_create_access_levels_on_deploy_key_id"`);
        await queryRunner.query(`DROP INDEX "public"."index_protected_tag_create_access_levels_on_protected_tag_id"`);
        await queryRunner.query(`DROP TABLE "protected_tag_create_access_levels"`);
        await queryRunner.query(`DROP INDEX "public"."index_protected_tags_on_project_id_and_name"`);
        await queryRunner.query(`DROP TABLE "protected_tags"`);
        await queryRunner.query(`DROP INDEX "public"."index_protected_branch_merge_levels_on_protected_branch_id"`);
        await queryRunner.query(`DROP TABLE "protected_branch_merge_access_levels"`);
        await queryRunner.query(`DROP INDEX "public"."index_protected_branch_push_access_levels_on_deploy_key_id"`);
        await queryRunner.query(`DROP INDEX "public"."index_protected_branch_push_levels_on_protected_branch_id"`);
        await queryRunner.query(`DROP TABLE "protected_branch_push_access_levels"`);
        await queryRunner.query(`DROP INDEX "public"."index_protected_branches_on_project_id_and_name"`);
        await queryRunner.query(`DROP TABLE "protected_branches"`);
        await queryRunner.query(`DROP INDEX "public"."index_deploy_keys_projects_on_project_id_and_deploy_key_id"`);
        await queryRunner.query(`DROP INDEX "public"."index_deploy_keys_projects_on_deploy_key_id"`);
        await queryRunner.query(`DROP TABLE "deploy_keys_projects"`);
    }

}
