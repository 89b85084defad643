import { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateCompanies } from './support/row-level-security';

/**
 * Income and expenses of an event. Both belong to an event of their own company (composite foreign
 * keys); an expense may name a vendor of the same company. Submitted expenses are read oldest first
 * by the approval queue, so a partial index covers exactly that queue.
 */
export class IncomesExpenses1764001300000 implements MigrationInterface {
  name = 'IncomesExpenses1764001300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE incomes (
        id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        company_id  uuid        NOT NULL,
        event_id    uuid        NOT NULL,
        category    text        NOT NULL,
        description text        NOT NULL,
        amount      bigint      NOT NULL,
        currency    text        NOT NULL,
        received_at timestamptz,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        created_by  text        NOT NULL,
        version     integer     NOT NULL DEFAULT 1,
        CONSTRAINT uq__incomes__company_id_id UNIQUE (company_id, id),
        CONSTRAINT fk__incomes__event_id FOREIGN KEY (company_id, event_id)
          REFERENCES events (company_id, id) ON DELETE NO ACTION,
        CONSTRAINT ck__incomes__category CHECK (category IN ('tickets', 'bar', 'merch', 'sponsorship', 'rental', 'other')),
        CONSTRAINT ck__incomes__amount_not_negative CHECK (amount >= 0)
      )`);
    await q.query(`CREATE INDEX ix__incomes__company_event ON incomes (company_id, event_id)`);
    await isolateCompanies(q, 'incomes');

    await q.query(`
      CREATE TABLE expenses (
        id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        company_id    uuid        NOT NULL,
        event_id      uuid        NOT NULL,
        category      text        NOT NULL,
        vendor_id     uuid,
        description   text        NOT NULL,
        amount        bigint      NOT NULL,
        currency      text        NOT NULL,
        due_at        timestamptz,
        status        text        NOT NULL,
        submitted_by  text,
        submitted_at  timestamptz,
        decided_by    text,
        decided_at    timestamptz,
        decision_note text,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        created_by    text        NOT NULL,
        version       integer     NOT NULL DEFAULT 1,
        CONSTRAINT uq__expenses__company_id_id UNIQUE (company_id, id),
        CONSTRAINT fk__expenses__event_id FOREIGN KEY (company_id, event_id)
          REFERENCES events (company_id, id) ON DELETE NO ACTION,
        CONSTRAINT fk__expenses__vendor_id FOREIGN KEY (company_id, vendor_id)
          REFERENCES vendors (company_id, id) ON DELETE NO ACTION,
        CONSTRAINT ck__expenses__category CHECK (category IN ('artist_fee', 'production', 'venue', 'marketing', 'hospitality', 'travel', 'staff', 'other')),
        CONSTRAINT ck__expenses__status CHECK (status IN ('draft', 'submitted', 'approved', 'rejected')),
        CONSTRAINT ck__expenses__amount_not_negative CHECK (amount >= 0)
      )`);
    await q.query(`CREATE INDEX ix__expenses__company_event ON expenses (company_id, event_id)`);
    // The foreign key's lookup when a vendor is deleted.
    await q.query(`CREATE INDEX ix__expenses__vendor ON expenses (company_id, vendor_id) WHERE vendor_id IS NOT NULL`);
    // The approval queue: submitted expenses, oldest submission first.
    await q.query(`CREATE INDEX ix__expenses__queue ON expenses (company_id, submitted_at) WHERE status = 'submitted'`);
    await isolateCompanies(q, 'expenses');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE expenses`);
    await q.query(`DROP TABLE incomes`);
  }
}
