/* Kubernetes agent (kas) module: agents, tokens, authorizations, usage, vulnerability findings, alerts, policies. */
import { MigrationInterface, QueryRunner } from "typeorm";

export class KubernetesAgents1764400400000 implements MigrationInterface {
    name = 'KubernetesAgents1764400400000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "cluster_agents" ("id" BIGSERIAL NOT NULL, "project_id" bigint NOT NULL, "name" character varying(63) NOT NULL, "created_by_user_id" bigint, "has_vulnerabilities" boolean NOT NULL DEFAULT false, "config" jsonb, "config_received_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f2ff0b5d916e6397f5cb3331d33" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "index_cluster_agents_on_created_by_user_id" ON "cluster_agents"  ("created_by_user_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "index_cluster_agents_on_project_id_and_name" ON "cluster_agents"  ("project_id", "name") `);
        await queryRunner.query(`CREATE TABLE "cluster_agent_tokens" ("id" BIGSERIAL NOT NULL, "agent_id" bigint NOT NULL, "project_id" bigint NOT NULL, "token_digest" character(64) NOT NULL, "name" character varying(255) NOT NULL, "description" character varying(1024), "status" smallint NOT NULL DEFAULT '0', "created_by_user_id" bigint, "last_used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f596139d6317cfe8bfd02303d65" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "index_cluster_agent_tokens_on_project_id" ON "cluster_agent_tokens"  ("project_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "index_cluster_agent_tokens_on_token_digest" ON "cluster_agent_tokens"  ("token_digest") `);
        await queryRunner.query(`CREATE INDEX "index_cluster_agent_tokens_on_created_by_user_id" ON "cluster_agent_tokens"  ("created_by_user_id") `);
        await queryRunner.query(`CREATE INDEX "index_cluster_agent_tokens_on_agent_id_and_status" ON "cluster_agent_tokens"  ("agent_id", "status") `);
        await queryRunner.query(`CREATE TABLE "cluster_agent_authorizations" ("id" BIGSERIAL NOT NULL, "agent_id" bigint NOT NULL, "access_kind" character varying(16) NOT NULL, "project_id" bigint, "group_id" bigint, "config" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "check_cluster_agent_authorizations_one_target" CHECK (("project_id" IS NULL) <> ("group_id" IS NULL)), CONSTRAINT "PK_a4819bf8f0ae8d8952b76e43941" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "index_cluster_agent_authorizations_on_project_id" ON "cluster_agent_authorizations"  ("project_id") `);
        await queryRunner.query(`CREATE INDEX "index_cluster_agent_authorizations_on_group_id" ON "cluster_agent_authorizations"  ("group_id") `);
        await queryRunner.query(`CREATE TABLE "kubernetes_usage_counters" ("event_name" character varying(100) NOT NULL, "total" bigint NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_37a8990b340c20418a2e2fd23d7" PRIMARY KEY ("event_name"))`);
        await queryRunner.query(`CREATE TABLE "kubernetes_unique_usage_events" ("event_name" character varying(100) NOT NULL, "week_start" date NOT NULL, "entity_id" bigint NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_184fc320a48fb1c1a74bef19f34" PRIMARY KEY ("event_name", "week_start", "entity_id"))`);
        await queryRunner.query(`CREATE TABLE "kubernetes_agent_events" ("id" BIGSERIAL NOT NULL, "event_name" character varying(100) NOT NULL, "user_id" bigint NOT NULL, "project_id" bigint NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_70baf0d99428c9c84111aa3e508" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "index_kubernetes_agent_events_on_user_id" ON "kubernetes_agent_events"  ("user_id") `);
        await queryRunner.query(`CREATE INDEX "index_kubernetes_agent_events_on_project_id" ON "kubernetes_agent_events"  ("project_id") `);
        await queryRunner.query(`CREATE INDEX "index_kubernetes_agent_events_on_event_name_and_recorded_at" ON "kubernetes_agent_events"  ("event_name", "recorded_at") `);
        await queryRunner.query(`CREATE TABLE "vulnerability_findings" ("id" BIGSERIAL NOT NULL, "uuid" uuid NOT NULL, "project_id" bigint NOT NULL, "cluster_agent_id" bigint, "report_type" character varying(32) NOT NULL, "state" character varying(16) NOT NULL, "resolved_on_default_branch" boolean NOT NULL DEFAULT false, "resolved_at" TIMESTAMP WITH TIME ZONE, "severity" character varying(16) NOT NULL, "confidence" character varying(16) NOT NULL, "title" character varying(255) NOT NULL, "message" text, "description" text, "solution" text, "location" jsonb NOT NULL, "identifiers" jsonb NOT NULL, "links" jsonb, "primary_identifier_fingerprint" character(40) NOT NULL, "location_fingerprint" character(40) NOT NULL, "project_fingerprint" character(40) NOT NULL, "scanner_external_id" character varying(255) NOT NULL, "scanner_name" character varying(255) NOT NULL, "scanner_vendor" character varying(255), "metadata_version" character varying(64) NOT NULL, "raw_metadata" text NOT NULL, "author_id" bigint, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7055df8ff40c4fb4f3ddd6c2f3f" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "index_vulnerability_findings_on_uuid" ON "vulnerability_findings"  ("uuid") `);
        await queryRunner.query(`CREATE INDEX "index_vulnerability_findings_on_cluster_agent_id" ON "vulnerability_findings"  ("cluster_agent_id") `);
        await queryRunner.query(`CREATE INDEX "index_vulnerability_findings_on_author_id" ON "vulnerability_findings"  ("author_id") `);
        await queryRunner.query(`CREATE INDEX "index_vulnerability_findings_on_project_agent_type_state" ON "vulnerability_findings"  ("project_id", "cluster_agent_id", "report_type", "state") `);
        await queryRunner.query(`CREATE TABLE "cluster_agent_alerts" ("id" BIGSERIAL NOT NULL, "agent_id" bigint NOT NULL, "project_id" bigint NOT NULL, "title" character varying(255), "payload" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_768f1ab95007754a53700d7560a" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "index_cluster_agent_alerts_on_agent_id" ON "cluster_agent_alerts"  ("agent_id") `);
        await queryRunner.query(`CREATE INDEX "index_cluster_agent_alerts_on_project_id" ON "cluster_agent_alerts"  ("project_id") `);
        await queryRunner.query(`CREATE TABLE "security_policy_configurations" ("id" BIGSERIAL NOT NULL, "project_id" bigint, "namespace_id" bigint, "policies" jsonb NOT NULL, "policy_last_updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "check_security_policy_configurations_one_owner" CHECK (("project_id" IS NULL) <> ("namespace_id" IS NULL)), CONSTRAINT "PK_256f81e3da6ef1808e0f9972993" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "index_security_policy_configurations_on_project_id" ON "security_policy_configurations"  ("project_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "index_security_policy_configurations_on_namespace_id" ON "security_policy_configurations"  ("namespace_id") `);
        await queryRunner.query(`ALTER TABLE "cluster_agents" ADD CONSTRAINT "FK_0aeee4361873beca1c4e2f2cf67" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "cluster_agents" ADD CONSTRAINT "FK_5bb80347ead9df0531900d20e73" FOREIGN KEY ("created_by_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "cluster_agent_tokens" ADD CONSTRAINT "FK_d8798f4619c1e2ce087fba5f72e" FOREIGN KEY ("agent_id") REFERENCES "cluster_agents"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "cluster_agent_tokens" ADD CONSTRAINT "FK_29a927d2fbe29bad8e1c4447286" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "cluster_agent_tokens" ADD CONSTRAINT "FK_d7bdcf6dfbb55ee1380c74988db" FOREIGN KEY ("created_by_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "cluster_agent_authorizations" ADD CONSTRAINT "FK_c8e07e4687cbd98482fedbb0e55" FOREIGN KEY ("agent_id") REFERENCES "cluster_agents"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "cluster_agent_authorizations" ADD CONSTRAINT "FK_4828cc926f768aa9fd2b4a9e52c" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "cluster_agent_authorizations" ADD CONSTRAINT "FK_be50b3605f30ceef2f580d157fc" FOREIGN KEY ("group_id") REFERENCES "namespaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "kubernetes_agent_events" ADD CONSTRAINT "FK_6d27f28e4ffb02a9dbc5daf7e12" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "kubernetes_agent_events" ADD CONSTRAINT "FK_71389974319b442fd8e7b5946be" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "vulnerability_findings" ADD CONSTRAINT "FK_6192934f968defcd8d6d6131b8d" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "vulnerability_findings" ADD CONSTRAINT "FK_86b043e667f716c9c61eabc91b4" FOREIGN KEY ("cluster_agent_id") REFERENCES "cluster_agents"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "vulnerability_findings" ADD CONSTRAINT "FK_da3a5e8f0b0436695134e08376e" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "cluster_agent_alerts" ADD CONSTRAINT "FK_2e11e346808f2f5fa2fdae0a80d" FOREIGN KEY ("agent_id") REFERENCES "cluster_agents"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "cluster_agent_alerts" ADD CONSTRAINT "FK_6ac9a26302ee286e3792b5968f0" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "security_policy_configurations" ADD CONSTRAINT "FK_bc342e90bad32dbca1bdc2dd371" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "security_policy_configurations" ADD CONSTRAINT "FK_bdbe5c6537807af26439d50710e" FOREIGN KEY ("namespace_id") REFERENCES "namespaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`CREATE UNIQUE INDEX "index_cluster_agent_authorizations_on_agent_kind_project" ON "cluster_agent_authorizations" ("agent_id", "access_kind", "project_id") WHERE "project_id" IS NOT NULL`);
        await queryRunner.query(`CREATE UNIQUE INDEX "index_cluster_agent_authorizations_on_agent_kind_group" ON "cluster_agent_authorizations" ("agent_id", "access_kind", "group_id") WHERE "group_id" IS NOT NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."index_cluster_agent_authorizations_on_agent_kind_group"`);
        await queryRunner.query(`DROP INDEX "public"."index_cluster_agent_authorizations_on_agent_kind_project"`);
        await queryRunner.query(`ALTER TABLE "security_policy_configurations" DROP CONSTRAINT "FK_bdbe5c6537807af26439d50710e"`);
        await queryRunner.query(`ALTER TABLE "security_policy_configurations" DROP CONSTRAINT "FK_bc342e90bad32dbca1bdc2dd371"`);
        await queryRunner.query(`ALTER TABLE "cluster_agent_alerts" DROP CONSTRAINT "FK_6ac9a26302ee286e3792b5968f0"`);
        await queryRunner.query(`ALTER TABLE "cluster_agent_alerts" DROP CONSTRAINT "FK_2e11e346808f2f5fa2fdae0a80d"`);
        await queryRunner.query(`ALTER TABLE "vulnerability_findings" DROP CONSTRAINT "FK_da3a5e8f0b0436695134e08376e"`);
        await queryRunner.query(`ALTER TABLE "vulnerability_findings" DROP CONSTRAINT "FK_86b043e667f716c9c61eabc91b4"`);
        await queryRunner.query(`ALTER TABLE "vulnerability_findings" DROP CONSTRAINT "FK_6192934f968defcd8d6d6131b8d"`);
        await queryRunner.query(`ALTER TABLE "kubernetes_agent_events" DROP CONSTRAINT "FK_71389974319b442fd8e7b5946be"`);
        await queryRunner.query(`ALTER TABLE "kubernetes_agent_events" DROP CONSTRAINT "FK_6d27f28e4ffb02a9dbc5daf7e12"`);
        await queryRunner.query(`ALTER TABLE "cluster_agent_authorizations" DROP CONSTRAINT "FK_be50b3605f30ceef2f580d157fc"`);
        await queryRunner.query(`ALTER TABLE "cluster_agent_authorizations" DROP CONSTRAINT "FK_4828cc926f768aa9fd2b4a9e52c"`);
        await queryRunner.query(`ALTER TABLE "cluster_agent_authorizations" DROP CONSTRAINT "FK_c8e07e4687cbd98482fedbb0e55"`);
        await queryRunner.query(`ALTER TABLE "cluster_agent_tokens" DROP CONSTRAINT "FK_d7bdcf6dfbb55ee1380c74988db"`);
        await queryRunner.query(`ALTER TABLE "cluster_agent_tokens" DROP CONSTRAINT "FK_29a927d2fbe29bad8e1c4447286"`);
        await queryRunner.query(`ALTER TABLE "cluster_agent_tokens" DROP CONSTRAINT "FK_d8798f4619c1e2ce087fba5f72e"`);
        await queryRunner.query(`ALTER TABLE "cluster_agents" DROP CONSTRAINT "FK_5bb80347ead9df0531900d20e73"`);
        await queryRunner.query(`ALTER TABLE "cluster_agents" DROP CONSTRAINT "FK_0aeee4361873beca1c4e2f2cf67"`);
        await queryRunner.query(`DROP INDEX "public"."index_security_policy_configurations_on_namespace_id"`);
        await queryRunner.query(`DROP INDEX "public"."index_security_policy_configurations_on_project_id"`);
        await queryRunner.query(`DROP TABLE "security_policy_configurations"`);
        await queryRunner.query(`DROP INDEX "public"."index_cluster_agent_alerts_on_project_id"`);
        await queryRunner.query(`DROP INDEX "public"."index_cluster_agent_alerts_on_agent_id"`);
        await queryRunner.query(`DROP TABLE "cluster_agent_alerts"`);
        await queryRunner.query(`DROP INDEX "public"."index_vulnerability_findings_on_project_agent_type_state"`);
        await queryRunner.query(`DROP INDEX "public"."index_vulnerability_findings_on_author_id"`);
        await queryRunner.query(`DROP INDEX "public"."index_vulnerability_findings_on_cluster_agent_id"`);
        await queryRunner.query(`DROP INDEX "public"."index_vulnerability_findings_on_uuid"`);
        await queryRunner.query(`DROP TABLE "vulnerability_findings"`);
        await queryRunner.query(`DROP INDEX "public"."index_kubernetes_agent_events_on_event_name_and_recorded_at"`);
        await queryRunner.query(`DROP INDEX "public"."index_kubernetes_agent_events_on_project_id"`);
        await queryRunner.query(`DROP INDEX "public"."index_kubernetes_agent_events_on_user_id"`);
        await queryRunner.query(`DROP TABLE "kubernetes_agent_events"`);
        await queryRunner.query(`DROP TABLE "kubernetes_unique_usage_events"`);
        await queryRunner.query(`DROP TABLE "kubernetes_usage_counters"`);
        await queryRunner.query(`DROP INDEX "public"."index_cluster_agent_authorizations_on_group_id"`);
        await queryRunner.query(`DROP INDEX "public"."index_cluster_agent_authorizations_on_project_id"`);
        await queryRunner.query(`DROP TABLE "cluster_agent_authorizations"`);
        await queryRunner.query(`DROP INDEX "public"."index_cluster_agent_tokens_on_agent_id_and_status"`);
        await queryRunner.query(`DROP INDEX "public"."index_cluster_agent_tokens_on_created_by_user_id"`);
        await queryRunner.query(`DROP INDEX "public"."index_cluster_agent_tokens_on_token_digest"`);
        await queryRunner.query(`DROP INDEX "public"."index_cluster_agent_tokens_on_project_id"`);
        await queryRunner.query(`DROP TABLE "cluster_agent_tokens"`);
        await queryRunner.query(`DROP INDEX "public"."index_cluster_agents_on_project_id_and_name"`);
        await queryRunner.query(`DROP INDEX "public"."index_cluster_agents_on_created_by_user_id"`);
        await queryRunner.query(`DROP TABLE "cluster_agents"`);
    }

}
