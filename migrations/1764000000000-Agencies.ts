import { MigrationInterface, QueryRunner } from 'typeorm';

export class Agencies1764000000000 implements MigrationInterface {
  name = 'Agencies1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agencies (
        id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        company_id  uuid        NOT NULL,
        key         text        NOT NULL,
        name        text        NOT NULL,
        email       text,
        phone       text,
        website     text,
        notes       text,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        created_by  text        NOT NULL,
        version     integer     NOT NULL DEFAULT 1,
        -- target of (company_id, agency_id) foreign keys: a reference can never cross companies
        CONSTRAINT uq__agencies__company_id_id UNIQUE (company_id, id),
        CONSTRAINT uq__agencies__key UNIQUE (company_id, key)
      )`);
    await q.query(`CREATE INDEX ix__agencies__company_name ON agencies (company_id, name)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE agencies`);
  }
}
