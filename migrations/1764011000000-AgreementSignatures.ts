import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The evidence of an agreement's signature (`POST /api/agreements/{id}/sign`): the signer, the time,
 * the caller, where the request came from and the SHA-256 of the contract document as signed, as
 * one jsonb value. Only a signed agreement holds one; agreements signed before keep none.
 */
export class AgreementSignatures1764011000000 implements MigrationInterface {
  name = 'AgreementSignatures1764011000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE agreements ADD COLUMN signature jsonb`);
    await q.query(`ALTER TABLE agreements ADD CONSTRAINT ck__agreements__signature CHECK (signature IS NULL OR status = 'signed')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE agreements DROP CONSTRAINT ck__agreements__signature`);
    await q.query(`ALTER TABLE agreements DROP COLUMN signature`);
  }
}
