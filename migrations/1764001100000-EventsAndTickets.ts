import { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateCompanies } from './support/row-level-security';

/**
 * Events and their ticket tiers.
 *
 * The lineup is a uuid[] of artist ids in running order: the order is the data, and a GIN index
 * answers "events with this artist". PostgreSQL has no foreign keys on array elements, so the
 * service checks the ids (locking the artists FOR SHARE) and refuses deleting an artist still in a
 * lineup. A tier's seats (sold + comps + kills) never exceed its quantity: a CHECK, so no sale can
 * oversell whatever the race. The sum of an event's tier quantities within its capacity spans rows,
 * so writers of tiers lock the event row FOR UPDATE before summing.
 */
export class EventsAndTickets1764001100000 implements MigrationInterface {
  name = 'EventsAndTickets1764001100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE events (
        id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        company_id  uuid        NOT NULL,
        name        text        NOT NULL,
        venue_id    uuid,
        starts_at   timestamptz NOT NULL,
        ends_at     timestamptz,
        doors_at    timestamptz,
        status      text        NOT NULL,
        capacity    integer,
        currency    text        NOT NULL,
        tax_rate    integer,
        lineup      uuid[]      NOT NULL DEFAULT '{}',
        notes       text,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        created_by  text        NOT NULL,
        version     integer     NOT NULL DEFAULT 1,
        CONSTRAINT uq__events__company_id_id UNIQUE (company_id, id),
        CONSTRAINT fk__events__venue_id FOREIGN KEY (company_id, venue_id)
          REFERENCES venues (company_id, id) ON DELETE NO ACTION,
        CONSTRAINT ck__events__status CHECK (status IN ('draft', 'announced', 'on_sale', 'sold_out', 'cancelled', 'completed', 'settled')),
        CONSTRAINT ck__events__capacity_positive CHECK (capacity IS NULL OR capacity > 0),
        CONSTRAINT ck__events__tax_rate_range CHECK (tax_rate IS NULL OR (tax_rate >= 0 AND tax_rate <= 10000)),
        CONSTRAINT ck__events__doors_before_start CHECK (doors_at IS NULL OR doors_at <= starts_at),
        CONSTRAINT ck__events__ends_after_start CHECK (ends_at IS NULL OR ends_at >= starts_at)
      )`);
    await q.query(`CREATE INDEX ix__events__company_starts_at ON events (company_id, starts_at)`);
    // Events at a venue, and the foreign key's lookup when a venue is deleted.
    await q.query(`CREATE INDEX ix__events__company_venue ON events (company_id, venue_id) WHERE venue_id IS NOT NULL`);
    await q.query(`CREATE INDEX ix__events__lineup ON events USING gin (lineup)`);
    await isolateCompanies(q, 'events');

    await q.query(`
      CREATE TABLE tickets (
        id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        company_id  uuid        NOT NULL,
        event_id    uuid        NOT NULL,
        name        text        NOT NULL,
        price       bigint      NOT NULL,
        currency    text        NOT NULL,
        fee         bigint,
        quantity    integer     NOT NULL,
        sold        integer     NOT NULL,
        comps       integer     NOT NULL,
        kills       integer     NOT NULL,
        status      text        NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        created_by  text        NOT NULL,
        version     integer     NOT NULL DEFAULT 1,
        CONSTRAINT uq__tickets__company_id_id UNIQUE (company_id, id),
        -- A tier belongs to an event of its own company.
        CONSTRAINT fk__tickets__event_id FOREIGN KEY (company_id, event_id)
          REFERENCES events (company_id, id) ON DELETE NO ACTION,
        CONSTRAINT ck__tickets__status CHECK (status IN ('on_sale', 'paused', 'sold_out')),
        CONSTRAINT ck__tickets__price_not_negative CHECK (price >= 0 AND (fee IS NULL OR fee >= 0)),
        CONSTRAINT ck__tickets__counts_not_negative CHECK (quantity >= 0 AND sold >= 0 AND comps >= 0 AND kills >= 0),
        CONSTRAINT ck__tickets__seats_within_quantity CHECK (sold + comps + kills <= quantity)
      )`);
    await q.query(`CREATE INDEX ix__tickets__company_event ON tickets (company_id, event_id)`);
    await isolateCompanies(q, 'tickets');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tickets`);
    await q.query(`DROP TABLE events`);
  }
}
