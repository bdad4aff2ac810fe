/* Instance settings, one row created with the defaults. */
import { MigrationInterface, QueryRunner } from "typeorm";

export class ApplicationSettings1764400000002 implements MigrationInterface {
    name = 'ApplicationSettings1764400000002'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "application_settings" ("id" smallint NOT NULL, "enabled_git_access_protocol" character varying(8), "receive_max_input_size" integer, "gitlab_shell_operation_limit" integer NOT NULL DEFAULT '600', "error_tracking_enabled" boolean NOT NULL DEFAULT false, "require_personal_access_token_expiry" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "check_application_settings_git_access_protocol" CHECK ("enabled_git_access_protocol" IN ('ssh', 'http', '')), CONSTRAINT "check_application_settings_singleton" CHECK ("id" = 1), CONSTRAINT "PK_84c911c1d401de2adbc8060b6d2" PRIMARY KEY ("id"))`);
        await queryRunner.query(`INSERT INTO "application_settings" ("id") VALUES (1)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "application_settings"`);
    }

}
