/* Error tracking: per-project settings and client keys. */
import { MigrationInterface, QueryRunner } from "typeorm";

export class ErrorTracking1764400300001 implements MigrationInterface {
    name = 'ErrorTracking1764400300001'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "error_tracking_client_keys" ("id" BIGSERIAL NOT NULL, "project_id" bigint NOT NULL, "public_key" character varying(255) NOT NULL, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_68f9cb76e5d5324bd8a68fa8e3c" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "index_error_tracking_client_keys_on_public_key" ON "error_tracking_client_keys"  ("public_key") `);
        await queryRunner.query(`CREATE INDEX "index_error_tracking_client_keys_on_project_id_and_public_key" ON "error_tracking_client_keys"  ("project_id", "public_key") `);
        await queryRunner.query(`CREATE TABLE "project_error_tracking_settings" ("project_id" bigint NOT NULL, "enabled" boolean NOT NULL DEFAULT false, "integrated" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7937a395c93ab91a9018ff8dd3c" PRIMARY KEY ("project_id"))`);
        await queryRunner.query(`ALTER TABLE "error_tracking_client_keys" ADD CONSTRAINT "FK_db46e6b39852accae0221e67c45" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "project_error_tracking_settings" ADD CONSTRAINT "FK_7937a395c93ab91a9018ff8dd3c" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "project_error_tracking_settings" DROP CONSTRAINT "FK_7937a395c93ab91a9018ff8dd3c"`);
        await queryRunner.query(`ALTER TABLE "error_tracking_client_keys" DROP CONSTRAINT "FK_db46e6b39852accae0221e67c45"`);
        await queryRunner.query(`DROP TABLE "project_error_tracking_settings"`);
        await queryRunner.query(`DROP INDEX "public"."index_error_tracking_client_keys_on_project_id_and_public_key"`);
        await queryRunner.query(`DROP INDEX "public"."index_error_tracking_client_keys_on_public_key"`);
        await queryRunner.query(`DROP TABLE "error_tracking_client_keys"`);
    }

}
