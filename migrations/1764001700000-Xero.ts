import { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateCompanies } from './support/row-level-security';

/**
 * The Xero accounting sync: one connection per company (tokens sealed with AES-256-GCM, never in
 * clear), and the outbox of what is to be sent: one row per synced record, counting its changes so
 * each change is sent once under its own Idempotency-Key. Call budgets are the kit's accounting of
 * an outside API's limits across instances, keyed by the outside party (no company data).
 */
export class Xero1764001700000 implements MigrationInterface {
  name = 'Xero1764001700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE xero_connections (
        id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        company_id        uuid        NOT NULL,
        tenant_id         text        NOT NULL,
        tenant_name       text,
        access_token      text        NOT NULL,
        refresh_token     text        NOT NULL,
        access_expires_at timestamptz NOT NULL,
        last_sync_at      timestamptz,
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now(),
        created_by        text        NOT NULL,
        version           integer     NOT NULL DEFAULT 1,
        CONSTRAINT uq__xero_connections__company_id UNIQUE (company_id)
      )`);
    await isolateCompanies(q, 'xero_connections');

    await q.query(`
      CREATE TABLE xero_sync_items (
        id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        company_id      uuid        NOT NULL,
        record_type     text        NOT NULL,
        record_id       uuid        NOT NULL,
        status          text        NOT NULL,
        xero_id         text,
        change_seq      integer     NOT NULL DEFAULT 1,
        synced_seq      integer     NOT NULL DEFAULT 0,
        sending_seq     integer,
        attempts        integer     NOT NULL,
        last_error      text,
        last_attempt_at timestamptz,
        synced_at       timestamptz,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        created_by      text        NOT NULL,
        version         integer     NOT NULL DEFAULT 1,
        CONSTRAINT uq__xero_sync_items__company_id_id UNIQUE (company_id, id),
        CONSTRAINT uq__xero_sync_items__record UNIQUE (company_id, record_type, record_id),
        CONSTRAINT ck__xero_sync_items__record_type CHECK (record_type IN ('vendor', 'expense', 'income')),
        CONSTRAINT ck__xero_sync_items__status CHECK (status IN ('pending', 'synced', 'voided', 'failed')),
        CONSTRAINT ck__xero_sync_items__seq CHECK (synced_seq <= change_seq AND (sending_seq IS NULL OR sending_seq <= change_seq))
      )`);
    await q.query(`CREATE INDEX ix__xero_sync_items__company_status ON xero_sync_items (company_id, status, updated_at)`);
    await isolateCompanies(q, 'xero_sync_items');

    // The calls of the last day per budget (rolling windows are counted from these).
    await q.query(`
      CREATE TABLE call_budget_calls (
        budget text        NOT NULL,
        at     timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ix__call_budget_calls__budget_at ON call_budget_calls (budget, at)`);
    // An API's "wait until" (a 429's Retry-After), for every instance.
    await q.query(`
      CREATE TABLE call_budget_pauses (
        budget text        PRIMARY KEY,
        until  timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE call_budget_slots (
        budget     text        NOT NULL,
        slot       integer     NOT NULL,
        held_by    text,
        held_until timestamptz NOT NULL DEFAULT '-infinity',
        PRIMARY KEY (budget, slot)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE call_budget_slots`);
    await q.query(`DROP TABLE call_budget_pauses`);
    await q.query(`DROP TABLE call_budget_calls`);
    await q.query(`DROP TABLE xero_sync_items`);
    await q.query(`DROP TABLE xero_connections`);
  }
}
