import { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateCompanies } from './support/row-level-security';

/**
 * Offers and the agreements accepting them makes. Each names the other: an agreement its offer, an
 * accepted offer its agreement; so offers come first and their key to agreements is added after both.
 * The event is kept as a plain id until the Events family has its table.
 */
export class OffersAgreements1764001000000 implements MigrationInterface {
  name = 'OffersAgreements1764001000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE offers (
        id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        company_id       uuid        NOT NULL,
        artist_id        uuid        NOT NULL,
        event_id         uuid,
        venue_id         uuid,
        date             date,
        deal_type        text        NOT NULL,
        currency         text        NOT NULL,
        guarantee        bigint,
        percentage       integer,
        percentage_of    text,
        expense_cap      bigint,
        promoter_profit  integer,
        ticket_price     bigint,
        schedule         jsonb,
        radius           jsonb,
        expires_at       timestamptz,
        terms            text,
        status           text        NOT NULL,
        agreement_id     uuid,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        created_by       text        NOT NULL,
        version          integer     NOT NULL DEFAULT 1,
        CONSTRAINT uq__offers__company_id_id UNIQUE (company_id, id),
        CONSTRAINT fk__offers__artist_id FOREIGN KEY (company_id, artist_id)
          REFERENCES artists (company_id, id) ON DELETE NO ACTION,
        CONSTRAINT fk__offers__venue_id FOREIGN KEY (company_id, venue_id)
          REFERENCES venues (company_id, id) ON DELETE NO ACTION,
        CONSTRAINT ck__offers__status CHECK (status IN ('draft', 'sent', 'accepted', 'declined', 'withdrawn', 'expired')),
        CONSTRAINT ck__offers__deal_type CHECK (deal_type IN ('flat', 'versus', 'plus', 'door')),
        CONSTRAINT ck__offers__percentage_of CHECK (percentage_of IS NULL OR percentage_of IN ('gross', 'net')),
        CONSTRAINT ck__offers__percentage_range CHECK (percentage IS NULL OR percentage BETWEEN 0 AND 10000),
        CONSTRAINT ck__offers__promoter_profit_range CHECK (promoter_profit IS NULL OR promoter_profit BETWEEN 0 AND 10000),
        CONSTRAINT ck__offers__event_or_venue_date CHECK (event_id IS NOT NULL OR (venue_id IS NOT NULL AND date IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX ix__offers__company_date ON offers (company_id, date)`);
    await q.query(`CREATE INDEX ix__offers__company_artist ON offers (company_id, artist_id)`);
    // The foreign key's lookup when a venue is deleted.
    await q.query(`CREATE INDEX ix__offers__venue ON offers (company_id, venue_id) WHERE venue_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE agreements (
        id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        company_id        uuid        NOT NULL,
        offer_id          uuid        NOT NULL,
        artist_id         uuid        NOT NULL,
        event_id          uuid,
        terms             jsonb       NOT NULL,
        status            text        NOT NULL,
        signed_at         timestamptz,
        document_file_id  uuid,
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now(),
        created_by        text        NOT NULL,
        version           integer     NOT NULL DEFAULT 1,
        CONSTRAINT uq__agreements__company_id_id UNIQUE (company_id, id),
        -- One agreement per offer.
        CONSTRAINT uq__agreements__offer_id UNIQUE (company_id, offer_id),
        CONSTRAINT fk__agreements__offer_id FOREIGN KEY (company_id, offer_id)
          REFERENCES offers (company_id, id) ON DELETE NO ACTION,
        CONSTRAINT fk__agreements__artist_id FOREIGN KEY (company_id, artist_id)
          REFERENCES artists (company_id, id) ON DELETE NO ACTION,
        CONSTRAINT ck__agreements__status CHECK (status IN ('draft', 'sent', 'signed', 'cancelled')),
        CONSTRAINT ck__agreements__signed_at CHECK ((status = 'signed') = (signed_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX ix__agreements__company_artist ON agreements (company_id, artist_id)`);
    // Deferred: deleting an unsigned agreement clears its offer's reference in the same transaction,
    // after the delete (Offers handle agreement.deleted; Agreements know nothing of offers).
    await q.query(`
      ALTER TABLE offers ADD CONSTRAINT fk__offers__agreement_id FOREIGN KEY (company_id, agreement_id)
        REFERENCES agreements (company_id, id) ON DELETE NO ACTION DEFERRABLE INITIALLY DEFERRED`);
    await isolateCompanies(q, 'offers');
    await isolateCompanies(q, 'agreements');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE offers DROP CONSTRAINT fk__offers__agreement_id`);
    await q.query(`DROP TABLE agreements`);
    await q.query(`DROP TABLE offers`);
  }
}
