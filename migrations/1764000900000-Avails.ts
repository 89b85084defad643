import { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateCompanies } from './support/row-level-security';

/**
 * Date holds (avails) and their ladders.
 *
 * The ladder rule — among the active holds (held, challenged) of one slot each level is taken once —
 * is a constraint, so the database has the last word on races. It must be DEFERRABLE: releasing a
 * hold moves every lower hold up one level, and while the levels shift two rows briefly share one.
 * PostgreSQL cannot defer a (partial) unique index, but it can defer an exclusion constraint, and an
 * exclusion constraint may carry a WHERE. A plain-equality exclusion over several columns would need
 * GiST and the btree_gist extension (CREATE EXTENSION needs rights we may not have in production), so
 * the constraint excludes equal values of one text key built from the slot and the level, with the
 * hash access method that core PostgreSQL has. The key is built only from immutable casts (the date
 * as a day number, not date::text, which follows DateStyle) and ends in the day, the only part of
 * variable length before it being the stage: so two different slots can never build the same key.
 * Services also take a per-slot advisory lock before changing a ladder, so the constraint only ever
 * refuses what slipped past the lock (it answers 409 through its uq__ name).
 */
export class Avails1764000900000 implements MigrationInterface {
  name = 'Avails1764000900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE avails (
        id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        company_id        uuid        NOT NULL,
        date              date        NOT NULL,
        venue_id          uuid,
        stage             text,
        artist_id         uuid,
        hold_level        integer     NOT NULL,
        status            text        NOT NULL,
        expires_at        timestamptz,
        respond_by        timestamptz,
        challenged_by_id  uuid,
        event_id          uuid,
        note              text,
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now(),
        created_by        text        NOT NULL,
        version           integer     NOT NULL DEFAULT 1,
        CONSTRAINT uq__avails__company_id_id UNIQUE (company_id, id),
        -- A hold can only name a venue or artist of its own company.
        CONSTRAINT fk__avails__venue_id FOREIGN KEY (company_id, venue_id)
          REFERENCES venues (company_id, id) ON DELETE NO ACTION,
        CONSTRAINT fk__avails__artist_id FOREIGN KEY (company_id, artist_id)
          REFERENCES artists (company_id, id) ON DELETE NO ACTION,
        CONSTRAINT ck__avails__venue_or_artist CHECK (venue_id IS NOT NULL OR artist_id IS NOT NULL),
        CONSTRAINT ck__avails__hold_level_positive CHECK (hold_level >= 1),
        CONSTRAINT ck__avails__status CHECK (status IN ('held', 'challenged', 'confirmed', 'released', 'expired')),
        CONSTRAINT uq__avails__hold_level EXCLUDE USING hash ((
          company_id::text || '|' || hold_level::text || '|' ||
          COALESCE('venue:' || venue_id::text || '|' || COALESCE(stage, ''), 'artist:' || artist_id::text) || '|' ||
          (date - DATE '2000-01-01')::text
        ) WITH =) WHERE (status IN ('held', 'challenged')) DEFERRABLE INITIALLY DEFERRED
      )`);
    await q.query(`CREATE INDEX ix__avails__company_date ON avails (company_id, date)`);
    // The ladder of a slot, and the foreign keys' lookups when a venue or artist is deleted.
    await q.query(`CREATE INDEX ix__avails__venue_slot ON avails (company_id, venue_id, date) WHERE venue_id IS NOT NULL`);
    await q.query(`CREATE INDEX ix__avails__artist_slot ON avails (company_id, artist_id, date) WHERE artist_id IS NOT NULL`);
    // What the sweeps look for.
    await q.query(`CREATE INDEX ix__avails__expiring ON avails (expires_at) WHERE status IN ('held', 'challenged') AND expires_at IS NOT NULL`);
    await q.query(`CREATE INDEX ix__avails__challenged ON avails (respond_by) WHERE status = 'challenged'`);
    await isolateCompanies(q, 'avails');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE avails`);
  }
}
