import { MigrationInterface, QueryRunner } from 'typeorm';

/** Company metadata, artists, venues and vendors. */
export class Catalog1764000100000 implements MigrationInterface {
  name = 'Catalog1764000100000';

  async up(q: QueryRunner): Promise<void> {
    // The company row's id is the company id itself; one row per company.
    await q.query(`
      CREATE TABLE companies (
        id            uuid        PRIMARY KEY,
        company_id    uuid        NOT NULL,
        display_name  text,
        legal_name    text,
        currency      text        NOT NULL,
        timezone      text        NOT NULL,
        address       jsonb,
        tax_number    text,
        logo_file_id  uuid,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        created_by    text        NOT NULL,
        version       integer     NOT NULL DEFAULT 1,
        CONSTRAINT ck__companies__id_is_company CHECK (id = company_id),
        CONSTRAINT ck__companies__currency CHECK (currency ~ '^[A-Z]{3}$')
      )`);

    await q.query(`
      CREATE TABLE artists (
        id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        company_id   uuid        NOT NULL,
        name         text        NOT NULL,
        agency_id    uuid,
        genres       text[]      NOT NULL DEFAULT '{}',
        country      text,
        city         text,
        email        text,
        phone        text,
        website      text,
        notes        text,
        default_fee  bigint,
        currency     text        NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now(),
        created_by   text        NOT NULL,
        version      integer     NOT NULL DEFAULT 1,
        CONSTRAINT uq__artists__company_id_id UNIQUE (company_id, id),
        -- (company_id, agency_id): an artist can only point at an agency of its own company, and
        -- an agency that artists point at cannot be deleted (the delete answers 409 from this).
        CONSTRAINT fk__artists__agency_id FOREIGN KEY (company_id, agency_id)
          REFERENCES agencies (company_id, id) ON DELETE NO ACTION,
        CONSTRAINT ck__artists__default_fee_not_negative CHECK (default_fee IS NULL OR default_fee >= 0)
      )`);
    await q.query(`CREATE INDEX ix__artists__company_name ON artists (company_id, name)`);
    await q.query(`CREATE INDEX ix__artists__company_agency ON artists (company_id, agency_id) WHERE agency_id IS NOT NULL`);
    await q.query(`CREATE INDEX ix__artists__genres ON artists USING gin (genres)`);

    await q.query(`
      CREATE TABLE venues (
        id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        company_id  uuid        NOT NULL,
        name        text        NOT NULL,
        address     jsonb,
        timezone    text        NOT NULL,
        capacity    integer,
        notes       text,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        created_by  text        NOT NULL,
        version     integer     NOT NULL DEFAULT 1,
        CONSTRAINT uq__venues__company_id_id UNIQUE (company_id, id),
        CONSTRAINT ck__venues__capacity_positive CHECK (capacity IS NULL OR capacity > 0)
      )`);
    await q.query(`CREATE INDEX ix__venues__company_name ON venues (company_id, name)`);
    await q.query(`CREATE INDEX ix__venues__company_city ON venues (company_id, lower(address ->> 'city'))`);

    await q.query(`
      CREATE TABLE vendors (
        id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        company_id  uuid        NOT NULL,
        name        text        NOT NULL,
        category    text        NOT NULL,
        email       text,
        phone       text,
        tax_number  text,
        notes       text,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        created_by  text        NOT NULL,
        version     integer     NOT NULL DEFAULT 1,
        CONSTRAINT uq__vendors__company_id_id UNIQUE (company_id, id),
        CONSTRAINT ck__vendors__category CHECK (category IN ('sound', 'lighting', 'backline', 'catering',
          'security', 'transport', 'accommodation', 'marketing', 'staffing', 'other'))
      )`);
    await q.query(`CREATE INDEX ix__vendors__company_name ON vendors (company_id, name)`);
    await q.query(`CREATE INDEX ix__vendors__company_category ON vendors (company_id, category)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE vendors`);
    await q.query(`DROP TABLE venues`);
    await q.query(`DROP TABLE artists`);
    await q.query(`DROP TABLE companies`);
  }
}
