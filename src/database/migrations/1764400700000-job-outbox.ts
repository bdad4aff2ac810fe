/* Jobs: the transactional outbox of background work (post-receive), relayed to the queues. */
import { MigrationInterface, QueryRunner } from "typeorm";

export class JobOutbox1764400700000 implements MigrationInterface {
    name = 'JobOutbox1764400700000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "job_outbox" ("id" BIGSERIAL NOT NULL, "queue" character varying(64) NOT NULL, "data" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "relayed_at" TIMESTAMP WITH TIME ZONE, "deliveries" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_c3ba45dab51e3016acef18d0433" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "index_job_outbox_on_relayed_at" ON "job_outbox"  ("relayed_at") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."index_job_outbox_on_relayed_at"`);
        await queryRunner.query(`DROP TABLE "job_outbox"`);
    }

}
