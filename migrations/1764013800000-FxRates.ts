import { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateCompanies } from './support/row-level-security';

/**
 * Exchange rates of a company (`/api/fx-rates`, issue 24): a settlement converts records in another
 * currency at the latest rate of their pair on or before the show's day. The rate is kept as the
 * decimal text it was given (at most 8 decimals), so what a settlement stores is what was written;
 * one rate per pair and day, whose unique key also serves the settlement's look-up (latest first).
 */
export class FxRates1764013800000 implements MigrationInterface {
  name = 'FxRates1764013800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE fx_rates (
        id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        company_id  uuid        NOT NULL,
        "from"      text        NOT NULL,
        "to"        text        NOT NULL,
        rate        text        NOT NULL,
        date        date        NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        created_by  text        NOT NULL,
        version     integer     NOT NULL DEFAULT 1,
        CONSTRAINT uq__fx_rates__company_id_id UNIQUE (company_id, id),
        CONSTRAINT uq__fx_rates__pair_date UNIQUE (company_id, "from", "to", date),
        CONSTRAINT ck__fx_rates__rate CHECK (rate ~ '^[0-9]{1,10}(\\.[0-9]{1,8})?\\Z' AND rate::numeric > 0),
        CONSTRAINT ck__fx_rates__pair CHECK ("from" <> "to")
      )`);
    await q.query(`CREATE INDEX ix__fx_rates__list ON fx_rates (company_id, date, id)`);
    await isolateCompanies(q, 'fx_rates');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE fx_rates`);
  }
}
