import { MigrationInterface, QueryRunner } from 'typeorm';

/** What happened to every record: the domain events, which are also its history. */
export class DomainEvents1764000200000 implements MigrationInterface {
  name = 'DomainEvents1764000200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE domain_events (
        id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        company_id   uuid        NOT NULL,
        type         text        NOT NULL,
        entity_type  text        NOT NULL,
        entity_id    uuid        NOT NULL,
        actor_id     text        NOT NULL,
        version      integer,
        payload      jsonb       NOT NULL DEFAULT '{}',
        occurred_at  timestamptz NOT NULL DEFAULT now()
      )`);
    // A record's history, newest first.
    await q.query(`CREATE INDEX ix__domain_events__entity ON domain_events (company_id, entity_id, occurred_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE domain_events`);
  }
}
