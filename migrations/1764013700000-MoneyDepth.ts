import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Money depth (issue 24): the withholding tax on artist fees (offers, and agreements as accepted),
 * VAT on expenses (the rate, and the VAT computed from it and held to it by a CHECK), whether the
 * company is VAT-registered, and an agency's commission rate. Existing rows get 0 / false / null, so
 * every settlement reads as it did. An index on when events were settled serves an agency's
 * commission over a period.
 */
export class MoneyDepth1764013700000 implements MigrationInterface {
  name = 'MoneyDepth1764013700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE offers ADD COLUMN withholding_rate integer NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE offers ADD CONSTRAINT ck__offers__withholding_rate_range CHECK (withholding_rate BETWEEN 0 AND 10000)`);
    await q.query(`ALTER TABLE agreements ADD COLUMN withholding_rate integer NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE agreements ADD CONSTRAINT ck__agreements__withholding_rate_range CHECK (withholding_rate BETWEEN 0 AND 10000)`);
    await q.query(`ALTER TABLE expenses ADD COLUMN vat_rate integer NOT NULL DEFAULT 0, ADD COLUMN vat bigint NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE expenses ADD CONSTRAINT ck__expenses__vat_rate_range CHECK (vat_rate BETWEEN 0 AND 10000)`);
    await q.query(`ALTER TABLE expenses ADD CONSTRAINT ck__expenses__vat_of_rate CHECK (vat = (amount * vat_rate + 5000) / 10000)`);
    await q.query(`ALTER TABLE companies ADD COLUMN vat_registered boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE agencies ADD COLUMN commission_rate integer`);
    await q.query(`ALTER TABLE agencies ADD CONSTRAINT ck__agencies__commission_rate_range CHECK (commission_rate IS NULL OR commission_rate BETWEEN 0 AND 10000)`);
    await q.query(`CREATE INDEX ix__settlements__settled_at ON settlements (company_id, settled_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix__settlements__settled_at`);
    await q.query(`ALTER TABLE agencies DROP COLUMN commission_rate`);
    await q.query(`ALTER TABLE companies DROP COLUMN vat_registered`);
    await q.query(`ALTER TABLE expenses DROP COLUMN vat, DROP COLUMN vat_rate`);
    await q.query(`ALTER TABLE agreements DROP COLUMN withholding_rate`);
    await q.query(`ALTER TABLE offers DROP COLUMN withholding_rate`);
  }
}
