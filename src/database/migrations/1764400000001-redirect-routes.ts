/* Redirect routes of renamed projects and namespaces. */
import { MigrationInterface, QueryRunner } from "typeorm";

export class RedirectRoutes1764400000001 implements MigrationInterface {
    name = 'RedirectRoutes1764400000001'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "redirect_routes" (
                "id" BIGSERIAL NOT NULL,
                "source_type" character varying(16) NOT NULL,
                "source_id" bigint NOT NULL,
                "path" character varying(1024) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "check_redirect_routes_source_type" CHECK ("source_type" IN ('Project', 'Namespace')),
                CONSTRAINT "PK_7c4a6450e0309e3a75f05d70b54" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "index_redirect_routes_on_source_type_and_source_id" ON "redirect_routes" ("source_type", "source_id")
        `);
        await queryRunner.query(`CREATE UNIQUE INDEX "index_redirect_routes_on_lower_path" ON "redirect_routes" (lower("path"))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "index_redirect_routes_on_lower_path"`);
        await queryRunner.query(`
            DROP INDEX "public"."index_redirect_routes_on_source_type_and_source_id"
        `);
        await queryRunner.query(`
            DROP TABLE "redirect_routes"
        `);
    }

}
