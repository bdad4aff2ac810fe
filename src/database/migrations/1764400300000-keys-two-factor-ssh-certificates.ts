/* Keys: user two-factor authentication and group SSH certificate authorities. */
import { MigrationInterface, QueryRunner } from "typeorm";

export class KeysTwoFactorSshCertificates1764400300000 implements MigrationInterface {
    name = 'KeysTwoFactorSshCertificates1764400300000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "group_ssh_certificates" ("id" BIGSERIAL NOT NULL, "namespace_id" bigint NOT NULL, "title" character varying(255) NOT NULL, "key" text NOT NULL, "fingerprint" character varying(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_dc7af3bce404ee5e573d06b53eb" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "index_group_ssh_certificates_on_namespace_id" ON "group_ssh_certificates"  ("namespace_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "index_group_ssh_certificates_on_fingerprint" ON "group_ssh_certificates"  ("fingerprint") `);
        await queryRunner.query(`CREATE TABLE "user_two_factor" ("user_id" bigint NOT NULL, "otp_secret_encrypted" text NOT NULL, "otp_backup_code_digests" jsonb NOT NULL DEFAULT '[]', "consumed_timestep" bigint, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0e865d85e0ad6329b40523afe55" PRIMARY KEY ("user_id"))`);
        await queryRunner.query(`ALTER TABLE "group_ssh_certificates" ADD CONSTRAINT "FK_839bdfb2ffbe2deb135d93abe20" FOREIGN KEY ("namespace_id") REFERENCES "namespaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "user_two_factor" ADD CONSTRAINT "FK_0e865d85e0ad6329b40523afe55" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "user_two_factor" DROP CONSTRAINT "FK_0e865d85e0ad6329b40523afe55"`);
        await queryRunner.query(`ALTER TABLE "group_ssh_certificates" DROP CONSTRAINT "FK_839bdfb2ffbe2deb135d93abe20"`);
        await queryRunner.query(`DROP TABLE "user_two_factor"`);
        await queryRunner.query(`DROP INDEX "public"."index_group_ssh_certificates_on_fingerprint"`);
        await queryRunner.query(`DROP INDEX "public"."index_group_ssh_certificates_on_namespace_id"`);
        await queryRunner.query(`DROP TABLE "group_ssh_certificates"`);
    }

}
