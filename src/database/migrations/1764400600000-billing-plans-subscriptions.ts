/* Billing: hosted plans (seeded, fixed ids) and namespace subscriptions. */
import { MigrationInterface, QueryRunner } from "typeorm";

export class BillingPlansSubscriptions1764400600000 implements MigrationInterface {
    name = 'BillingPlansSubscriptions1764400600000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "plans" ("id" smallint NOT NULL, "name" character varying(64) NOT NULL, "title" character varying(255) NOT NULL, "tier" character varying(16) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_3720521a81c7c24fe9b7202ba61" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "index_plans_on_name" ON "plans"  ("name") `);
        await queryRunner.query(`CREATE TABLE "gitlab_subscriptions" ("id" BIGSERIAL NOT NULL, "namespace_id" bigint NOT NULL, "hosted_plan_id" smallint, "start_date" date NOT NULL, "end_date" date, "seats" integer NOT NULL DEFAULT '0', "seats_in_use" integer NOT NULL DEFAULT '0', "max_seats_used" integer NOT NULL DEFAULT '0', "seats_owed" integer NOT NULL DEFAULT '0', "max_seats_used_changed_at" TIMESTAMP WITH TIME ZONE, "last_seat_refresh_at" TIMESTAMP WITH TIME ZONE, "auto_renew" boolean, "trial" boolean NOT NULL DEFAULT false, "trial_starts_on" date, "trial_ends_on" date, "trial_extension_type" smallint, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_eef92fbdce0677785fd6b35f709" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "index_gitlab_subscriptions_on_namespace_id" ON "gitlab_subscriptions"  ("namespace_id") `);
        await queryRunner.query(`CREATE INDEX "index_gitlab_subscriptions_on_hosted_plan_id" ON "gitlab_subscriptions"  ("hosted_plan_id") `);
        await queryRunner.query(`ALTER TABLE "gitlab_subscriptions" ADD CONSTRAINT "FK_5e88f8624fdbfb475798fadf3f7" FOREIGN KEY ("namespace_id") REFERENCES "namespaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "gitlab_subscriptions" ADD CONSTRAINT "FK_898099e5a58819ceb2813838db1" FOREIGN KEY ("hosted_plan_id") REFERENCES "plans"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        // Plans with fixed ids
        await queryRunner.query(`INSERT INTO "plans" ("id", "name", "title", "tier") VALUES
            (1, 'default', 'Default', 'free'),
            (2, 'free', 'Free', 'free'),
            (3, 'bronze', 'Bronze', 'free'),
            (4, 'silver', 'Silver', 'premium'),
            (5, 'premium', 'Premium', 'premium'),
            (6, 'gold', 'Gold', 'ultimate'),
            (7, 'ultimate', 'Ultimate', 'ultimate'),
            (8, 'ultimate_trial', 'Ultimate Trial', 'ultimate'),
            (9, 'premium_trial', 'Premium Trial', 'premium'),
            (10, 'ultimate_trial_paid_customer', 'Ultimate Trial Paid Customer', 'ultimate'),
            (11, 'opensource', 'Opensource', 'ultimate'),
            (12, 'early_adopter', 'Early Adopter', 'free')`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "gitlab_subscriptions" DROP CONSTRAINT "FK_898099e5a58819ceb2813838db1"`);
        await queryRunner.query(`ALTER TABLE "gitlab_subscriptions" DROP CONSTRAINT "FK_5e88f8624fdbfb475798fadf3f7"`);
        await queryRunner.query(`DROP INDEX "public"."index_gitlab_subscriptions_on_hosted_plan_id"`);
        await queryRunner.query(`DROP INDEX "public"."index_gitlab_subscriptions_on_namespace_id"`);
        await queryRunner.query(`DROP TABLE "gitlab_subscriptions"`);
        await queryRunner.query(`DROP INDEX "public"."index_plans_on_name"`);
        await queryRunner.query(`DROP TABLE "plans"`);
    }

}
