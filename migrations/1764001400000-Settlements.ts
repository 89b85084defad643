import { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateCompanies } from './support/row-level-security';

/**
 * The statement of a settled event, stored once when it is settled (one per event); reads of the
 * settlement return it unchanged from then on. It belongs to an event of its own company, which
 * cannot be deleted while it has one.
 */
export class Settlements1764001400000 implements MigrationInterface {
  name = 'Settlements1764001400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE settlements (
        id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        company_id  uuid        NOT NULL,
        event_id    uuid        NOT NULL,
        statement   jsonb       NOT NULL,
        settled_at  timestamptz NOT NULL,
        settled_by  text        NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        created_by  text        NOT NULL,
        version     integer     NOT NULL DEFAULT 1,
        CONSTRAINT uq__settlements__company_id_event_id UNIQUE (company_id, event_id),
        CONSTRAINT fk__settlements__event_id FOREIGN KEY (company_id, event_id)
          REFERENCES events (company_id, id) ON DELETE NO ACTION
      )`);
    await isolateCompanies(q, 'settlements');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE settlements`);
  }
}
