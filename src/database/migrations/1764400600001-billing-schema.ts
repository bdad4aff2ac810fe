/* Billing: histories, limits, add-ons, compute packs, storage exclusions, reconciliations, credit cards. */
import { MigrationInterface, QueryRunner } from "typeorm";

export class BillingSchema1764400600001 implements MigrationInterface {
    name = 'BillingSchema1764400600001'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "ci_minutes_additional_packs" ("id" BIGSERIAL NOT NULL, "namespace_id" bigint NOT NULL, "number_of_minutes" integer NOT NULL, "expires_at" date, "purchase_xid" character varying(32) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f32f96146ceede2b4f88e109ae1" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "index_ci_minutes_additional_packs_on_namespace_id" ON "ci_minutes_additional_packs"  ("namespace_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "index_ci_minutes_additional_packs_on_purchase_xid" ON "ci_minutes_additional_packs"  ("purchase_xid") `);
        await queryRunner.query(`CREATE TABLE "user_credit_card_validations" ("user_id" bigint NOT NULL, "credit_card_validated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expiration_date_hash" character varying(44), "last_digits_hash" character varying(44), "holder_name_hash" character varying(44), "network_hash" character varying(44), "zuora_payment_method_xid" character varying(50), "stripe_setup_intent_xid" character varying(255), "stripe_payment_method_xid" character varying(255), "stripe_card_fingerprint" character varying(255), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7145e5a3f2e22f276071968482a" PRIMARY KEY ("user_id"))`);
        await queryRunner.query(`CREATE INDEX "index_credit_card_validations_on_fingerprint_and_validated_at" ON "user_credit_card_validations"  ("stripe_card_fingerprint", "credit_card_validated_at") `);
        await queryRunner.query(`CREATE TABLE "gitlab_subscription_histories" ("id" BIGSERIAL NOT NULL, "gitlab_subscription_id" bigint NOT NULL, "namespace_id" bigint NOT NULL, "change_type" smallint NOT NULL, "previous" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_97e16eb779ecf9c4de39a51c635" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "index_gitlab_subscription_histories_on_gitlab_subscription_id" ON "gitlab_subscription_histories"  ("gitlab_subscription_id") `);
        await queryRunner.query(`CREATE TABLE "namespace_limits" ("namespace_id" bigint NOT NULL, "shared_runners_minutes_limit" integer, "extra_shared_runners_minutes_limit" integer, "additional_purchased_storage_size" bigint NOT NULL DEFAULT '0', "additional_purchased_storage_ends_on" date, "last_ci_minutes_notification_at" TIMESTAMP WITH TIME ZONE, "last_ci_minutes_usage_notification_level" integer, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a75b1ddacd24ab6232d86abd9dc" PRIMARY KEY ("namespace_id"))`);
        await queryRunner.query(`CREATE TABLE "namespace_storage_limit_exclusions" ("id" BIGSERIAL NOT NULL, "namespace_id" bigint NOT NULL, "reason" character varying(255) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_daae6a3e6853469a8ba3fedd642" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "index_namespace_storage_limit_exclusions_on_namespace_id" ON "namespace_storage_limit_exclusions"  ("namespace_id") `);
        await queryRunner.query(`CREATE TABLE "subscription_add_ons" ("id" smallint NOT NULL, "name" character varying(64) NOT NULL, "description" character varying(255) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0bf4e744f528c5b70aa8c413ce0" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "index_subscription_add_ons_on_name" ON "subscription_add_ons"  ("name") `);
        await queryRunner.query(`CREATE TABLE "subscription_add_on_purchases" ("id" BIGSERIAL NOT NULL, "namespace_id" bigint NOT NULL, "subscription_add_on_id" smallint NOT NULL, "quantity" integer NOT NULL, "started_at" date, "expires_on" date NOT NULL, "purchase_xid" character varying(255) NOT NULL, "trial" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4055b2d89cc8aeb847d49385521" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "index_add_on_purchases_on_subscription_add_on_id" ON "subscription_add_on_purchases"  ("subscription_add_on_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "index_add_on_purchases_on_namespace_and_add_on" ON "subscription_add_on_purchases"  ("namespace_id", "subscription_add_on_id") `);
        await queryRunner.query(`CREATE TABLE "upcoming_reconciliations" ("id" BIGSERIAL NOT NULL, "namespace_id" bigint NOT NULL, "next_reconciliation_date" date NOT NULL, "display_alert_from" date NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_efdad20bcee718e1c1a06b1d65c" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "index_upcoming_reconciliations_on_namespace_id" ON "upcoming_reconciliations"  ("namespace_id") `);
        await queryRunner.query(`ALTER TABLE "ci_minutes_additional_packs" ADD CONSTRAINT "FK_b082e93312d370a91e2f2e73a03" FOREIGN KEY ("namespace_id") REFERENCES "namespaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "user_credit_card_validations" ADD CONSTRAINT "FK_7145e5a3f2e22f276071968482a" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "namespace_limits" ADD CONSTRAINT "FK_a75b1ddacd24ab6232d86abd9dc" FOREIGN KEY ("namespace_id") REFERENCES "namespaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "namespace_storage_limit_exclusions" ADD CONSTRAINT "FK_1a206c613e9257e05d3799aedf9" FOREIGN KEY ("namespace_id") REFERENCES "namespaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "subscription_add_on_purchases" ADD CONSTRAINT "FK_f54dc4c26b4bffdc89f4cd23bc3" FOREIGN KEY ("namespace_id") REFERENCES "namespaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "subscription_add_on_purchases" ADD CONSTRAINT "FK_0222c0bcd7862a9e7d7d8b7612d" FOREIGN KEY ("subscription_add_on_id") REFERENCES "subscription_add_ons"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "upcoming_reconciliations" ADD CONSTRAINT "FK_c4987f4e606ff4f88951687c1da" FOREIGN KEY ("namespace_id") REFERENCES "namespaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        // Partial unique index TypeORM cannot express
        await queryRunner.query(`CREATE UNIQUE INDEX "index_user_credit_card_validations_on_zuora_payment_method_xid" ON "user_credit_card_validations" ("zuora_payment_method_xid") WHERE "zuora_payment_method_xid" IS NOT NULL`);
        // Add-ons with fixed ids
        await queryRunner.query(`INSERT INTO "subscription_add_ons" ("id", "name", "description") VALUES
            (1, 'code_suggestions', 'Add-on for GitLab Duo Pro.'),
            (2, 'product_analytics', 'Add-on for product analytics. Quantity = 1 million events.'),
            (3, 'duo_enterprise', 'Add-on for GitLab Duo Enterprise.')`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."index_user_credit_card_validations_on_zuora_payment_method_xid"`);
        await queryRunner.query(`ALTER TABLE "upcoming_reconciliations" DROP CONSTRAINT "FK_c4987f4e606ff4f88951687c1da"`);
        await queryRunner.query(`ALTER TABLE "subscription_add_on_purchases" DROP CONSTRAINT "FK_0222c0bcd7862a9e7d7d8b7612d"`);
        await queryRunner.query(`ALTER TABLE "subscription_add_on_purchases" DROP CONSTRAINT "FK_f54dc4c26b4bffdc89f4cd23bc3"`);
        await queryRunner.query(`ALTER TABLE "namespace_storage_limit_exclusions" DROP CONSTRAINT "FK_1a206c613e9257e05d3799aedf9"`);
        await queryRunner.query(`ALTER TABLE "namespace_limits" DROP CONSTRAINT "FK_a75b1ddacd24ab6232d86abd9dc"`);
        await queryRunner.query(`ALTER TABLE "user_credit_card_validations" DROP CONSTRAINT "FK_7145e5a3f2e22f276071968482a"`);
        await queryRunner.query(`ALTER TABLE "ci_minutes_additional_packs" DROP CONSTRAINT "FK_b082e93312d370a91e2f2e73a03"`);
        await queryRunner.query(`DROP INDEX "public"."index_upcoming_reconciliations_on_namespace_id"`);
        await queryRunner.query(`DROP TABLE "upcoming_reconciliations"`);
        await queryRunner.query(`DROP INDEX "public"."index_add_on_purchases_on_namespace_and_add_on"`);
        await queryRunner.query(`DROP INDEX "public"."index_add_on_purchases_on_subscription_add_on_id"`);
        await queryRunner.query(`DROP TABLE "subscription_add_on_purchases"`);
        await queryRunner.query(`DROP INDEX "public"."index_subscription_add_ons_on_name"`);
        await queryRunner.query(`DROP TABLE "subscription_add_ons"`);
        await queryRunner.query(`DROP INDEX "public"."index_namespace_storage_limit_exclusions_on_namespace_id"`);
        await queryRunner.query(`DROP TABLE "namespace_storage_limit_exclusions"`);
        await queryRunner.query(`DROP TABLE "namespace_limits"`);
        await queryRunner.query(`DROP INDEX "public"."index_gitlab_subscription_histories_on_gitlab_subscription_id"`);
        await queryRunner.query(`DROP TABLE "gitlab_subscription_histories"`);
        await queryRunner.query(`DROP INDEX "public"."index_credit_card_validations_on_fingerprint_and_validated_at"`);
        await queryRunner.query(`DROP TABLE "user_credit_card_validations"`);
        await queryRunner.query(`DROP INDEX "public"."index_ci_minutes_additional_packs_on_purchase_xid"`);
        await queryRunner.query(`DROP INDEX "public"."index_ci_minutes_additional_packs_on_namespace_id"`);
        await queryRunner.query(`DROP TABLE "ci_minutes_additional_packs"`);
    }

}
