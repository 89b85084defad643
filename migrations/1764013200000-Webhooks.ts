import { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateCompanies } from './support/row-level-security';

/**
 * Outbound webhooks: each company's endpoints (the signing secret sealed, never in clear) and one
 * delivery per (event, webhook), written in the transaction of the change. `seq` orders the
 * deliveries of one record to one webhook; the partial index finds those still waiting.
 */
export class Webhooks1764013200000 implements MigrationInterface {
  name = 'Webhooks1764013200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhooks (
        id                   uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        company_id           uuid        NOT NULL,
        url                  text        NOT NULL,
        events               text[]      NOT NULL DEFAULT '{}',
        description          text,
        status               text        NOT NULL,
        consecutive_failures integer     NOT NULL,
        disabled_at          timestamptz,
        disabled_reason      text,
        sealed_secret        text        NOT NULL,
        created_at           timestamptz NOT NULL DEFAULT now(),
        updated_at           timestamptz NOT NULL DEFAULT now(),
        created_by           text        NOT NULL,
        version              integer     NOT NULL DEFAULT 1,
        CONSTRAINT uq__webhooks__company_id_id UNIQUE (company_id, id),
        CONSTRAINT ck__webhooks__status CHECK (status IN ('active', 'disabled'))
      )`);
    await q.query(`CREATE INDEX ix__webhooks__list ON webhooks (company_id, created_at, id)`);
    await isolateCompanies(q, 'webhooks');

    await q.query(`
      CREATE TABLE webhook_deliveries (
        id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        company_id       uuid        NOT NULL,
        webhook_id       uuid        NOT NULL,
        event_id         uuid        NOT NULL,
        event_type       text        NOT NULL,
        entity_type      text        NOT NULL,
        entity_id        uuid        NOT NULL,
        seq              bigserial   NOT NULL,
        body             jsonb       NOT NULL,
        status           text        NOT NULL,
        attempts         integer     NOT NULL,
        response_status  integer,
        response_excerpt text,
        duration_ms      integer,
        last_error       text,
        next_attempt_at  timestamptz,
        delivered_at     timestamptz,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        created_by       text        NOT NULL,
        version          integer     NOT NULL DEFAULT 1,
        CONSTRAINT uq__webhook_deliveries__company_id_id UNIQUE (company_id, id),
        CONSTRAINT uq__webhook_deliveries__event UNIQUE (company_id, webhook_id, event_id),
        CONSTRAINT fk__webhook_deliveries__webhook_id FOREIGN KEY (company_id, webhook_id) REFERENCES webhooks (company_id, id) ON DELETE CASCADE,
        CONSTRAINT ck__webhook_deliveries__status CHECK (status IN ('pending', 'delivered', 'failed'))
      )`);
    await q.query(`CREATE INDEX ix__webhook_deliveries__list ON webhook_deliveries (company_id, webhook_id, created_at, id)`);
    await q.query(`CREATE INDEX ix__webhook_deliveries__created_at ON webhook_deliveries (created_at)`);
    await q.query(`CREATE INDEX ix__webhook_deliveries__pending ON webhook_deliveries (company_id, webhook_id, entity_id, seq) WHERE status = 'pending'`);
    await isolateCompanies(q, 'webhook_deliveries');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_deliveries`);
    await q.query(`DROP TABLE webhooks`);
  }
}
