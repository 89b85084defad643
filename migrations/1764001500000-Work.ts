import { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateCompanies } from './support/row-level-security';

/**
 * Tasks of a company, each perhaps about an event or an offer of the same company (composite foreign
 * keys: an event or offer with tasks cannot be deleted, 409 naming them). Notifications: one per
 * domain event and recipient (unique), read by their recipient newest first, removed when old.
 */
export class Work1764001500000 implements MigrationInterface {
  name = 'Work1764001500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tasks (
        id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        company_id  uuid        NOT NULL,
        title       text        NOT NULL,
        description text,
        status      text        NOT NULL,
        priority    text        NOT NULL,
        due_at      timestamptz,
        assignee_id text,
        event_id    uuid,
        offer_id    uuid,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        created_by  text        NOT NULL,
        version     integer     NOT NULL DEFAULT 1,
        CONSTRAINT uq__tasks__company_id_id UNIQUE (company_id, id),
        CONSTRAINT fk__tasks__event_id FOREIGN KEY (company_id, event_id)
          REFERENCES events (company_id, id) ON DELETE NO ACTION,
        CONSTRAINT fk__tasks__offer_id FOREIGN KEY (company_id, offer_id)
          REFERENCES offers (company_id, id) ON DELETE NO ACTION,
        CONSTRAINT ck__tasks__status CHECK (status IN ('todo', 'in_progress', 'done', 'cancelled')),
        CONSTRAINT ck__tasks__priority CHECK (priority IN ('low', 'normal', 'high'))
      )`);
    // The foreign keys' lookups (Event.tasks, Offer.tasks, a delete of either).
    await q.query(`CREATE INDEX ix__tasks__event ON tasks (company_id, event_id) WHERE event_id IS NOT NULL`);
    await q.query(`CREATE INDEX ix__tasks__offer ON tasks (company_id, offer_id) WHERE offer_id IS NOT NULL`);
    // "My open tasks", overdue ones first.
    await q.query(`CREATE INDEX ix__tasks__assignee_open ON tasks (company_id, assignee_id, due_at) WHERE status IN ('todo', 'in_progress')`);
    await isolateCompanies(q, 'tasks');

    await q.query(`
      CREATE TABLE notifications (
        id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        company_id   uuid        NOT NULL,
        recipient_id text        NOT NULL,
        event_id     uuid        NOT NULL,
        kind         text        NOT NULL,
        title        text        NOT NULL,
        body         text,
        entity_type  text        NOT NULL,
        entity_id    uuid        NOT NULL,
        read_at      timestamptz,
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now(),
        created_by   text        NOT NULL,
        version      integer     NOT NULL DEFAULT 1,
        CONSTRAINT uq__notifications__event_recipient UNIQUE (company_id, event_id, recipient_id)
      )`);
    // A recipient's inbox, newest first, and its unread part (the count, unread=true).
    await q.query(`CREATE INDEX ix__notifications__inbox ON notifications (company_id, recipient_id, created_at DESC, id)`);
    await q.query(`CREATE INDEX ix__notifications__unread ON notifications (company_id, recipient_id) WHERE read_at IS NULL`);
    // The removal of old ones, across companies.
    await q.query(`CREATE INDEX ix__notifications__created_at ON notifications (created_at)`);
    await isolateCompanies(q, 'notifications');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notifications`);
    await q.query(`DROP TABLE tasks`);
  }
}
