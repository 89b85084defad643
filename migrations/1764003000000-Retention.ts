import { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateCompanies } from './support/row-level-security';

/**
 * Retention by design.
 *
 * - `domain_events` (every record's history) becomes a table partitioned by month of `occurred_at`,
 *   so removing old history is dropping a partition, not deleting rows. Months are UTC months. A
 *   default partition catches a row whose month has no partition yet, so a write never fails for
 *   want of one; `maintain_domain_event_partitions()` (run by a periodic job) creates the coming
 *   months' partitions ahead of time and drops those older than the retention the owner set.
 * - `retention_settings`: policies only the schema's owner writes (the migrating user stores
 *   `HISTORY_RETENTION_MONTHS` there when it migrates); the service's role only reads them, so a
 *   statement injected into the service's connection cannot shorten anyone's history.
 * - Indexes for the prunes of finished jobs, read notifications and rate-counter windows, each a
 *   bounded statement that reads only what it removes.
 */
export class Retention1764003000000 implements MigrationInterface {
  name = 'Retention1764003000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE domain_events RENAME TO domain_events_unpartitioned`);
    await q.query(`ALTER INDEX ix__domain_events__entity RENAME TO ix__domain_events_unpartitioned__entity`);
    await q.query(`ALTER TABLE domain_events_unpartitioned RENAME CONSTRAINT domain_events_pkey TO pk__domain_events_unpartitioned`);
    await q.query(`
      CREATE TABLE domain_events (
        id           uuid        NOT NULL DEFAULT gen_random_uuid(),
        company_id   uuid        NOT NULL,
        type         text        NOT NULL,
        entity_type  text        NOT NULL,
        entity_id    uuid        NOT NULL,
        actor_id     text        NOT NULL,
        version      integer,
        payload      jsonb       NOT NULL DEFAULT '{}',
        occurred_at  timestamptz NOT NULL DEFAULT now(),
        -- A partitioned table's keys include the partition key; ids stay unique (random uuids).
        CONSTRAINT pk__domain_events PRIMARY KEY (id, occurred_at)
      ) PARTITION BY RANGE (occurred_at)`);
    await q.query(`CREATE INDEX ix__domain_events__entity ON domain_events (company_id, entity_id, occurred_at DESC, id DESC)`);
    await q.query(`CREATE TABLE domain_events_default PARTITION OF domain_events DEFAULT`);

    await q.query(`
      CREATE TABLE retention_settings (
        subject text    PRIMARY KEY,
        months  integer NOT NULL,
        CONSTRAINT ck__retention_settings__subject CHECK (subject IN ('history')),
        CONSTRAINT ck__retention_settings__months CHECK (months BETWEEN 1 AND 1200)
      )`);

    // SECURITY DEFINER: runs as the owner (who may create and drop partitions) whoever calls it; it
    // takes no argument that could widen what it drops, and it reads the retention from a table only
    // the owner writes. Its search path is fixed to this schema, so no caller can redirect a name.
    await q.query(`
      CREATE FUNCTION maintain_domain_event_partitions(months_ahead integer DEFAULT 3)
        RETURNS TABLE (action text, partition_name text)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $fn$
      DECLARE
        this_month timestamp := date_trunc('month', now() AT TIME ZONE 'UTC');
        month_start timestamp;
        keep_months integer;
        part record;
      BEGIN
        FOR i IN 0 .. least(greatest(coalesce(months_ahead, 3), 0), 24) LOOP
          month_start := this_month + make_interval(months => i);
          partition_name := 'domain_events_' || to_char(month_start, '"y"YYYY"m"MM');
          CONTINUE WHEN to_regclass(partition_name) IS NOT NULL;
          BEGIN
            EXECUTE format('CREATE TABLE %I PARTITION OF domain_events FOR VALUES FROM (%L) TO (%L)',
                           partition_name, month_start::text || '+00', (month_start + interval '1 month')::text || '+00');
            action := 'created';
          EXCEPTION WHEN check_violation THEN
            -- Rows of that month already wait in the default partition: they stay there.
            action := 'left in default';
          END;
          RETURN NEXT;
        END LOOP;

        SELECT months INTO keep_months FROM retention_settings WHERE subject = 'history';
        IF keep_months IS NULL THEN RETURN; END IF;
        FOR part IN
          SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
           WHERE i.inhparent = 'domain_events'::regclass AND c.relname ~ '^domain_events_y[0-9]{4}m[0-9]{2}$'
        LOOP
          month_start := to_timestamp(substring(part.relname FROM 16 FOR 4) || substring(part.relname FROM 21 FOR 2), 'YYYYMM')::timestamp;
          IF month_start + interval '1 month' <= this_month - make_interval(months => keep_months) THEN
            EXECUTE format('DROP TABLE %I', part.relname);
            action := 'dropped';
            partition_name := part.relname;
            RETURN NEXT;
          END IF;
        END LOOP;
      END
      $fn$`);
    await q.query(`REVOKE ALL ON FUNCTION maintain_domain_event_partitions(integer) FROM PUBLIC`);

    // A partition for every month that has history, and the next three.
    await q.query(`
      DO $$
      DECLARE month_start timestamp; partition_name text;
      BEGIN
        FOR month_start IN
          SELECT generate_series(
                   coalesce((SELECT date_trunc('month', min(occurred_at) AT TIME ZONE 'UTC') FROM domain_events_unpartitioned),
                            date_trunc('month', now() AT TIME ZONE 'UTC')),
                   date_trunc('month', now() AT TIME ZONE 'UTC') + interval '3 months',
                   interval '1 month')
        LOOP
          partition_name := 'domain_events_' || to_char(month_start, '"y"YYYY"m"MM');
          EXECUTE format('CREATE TABLE %I PARTITION OF domain_events FOR VALUES FROM (%L) TO (%L)',
                         partition_name, month_start::text || '+00', (month_start + interval '1 month')::text || '+00');
        END LOOP;
      END $$`);
    await q.query(`INSERT INTO domain_events SELECT id, company_id, type, entity_type, entity_id, actor_id, version, payload, occurred_at FROM domain_events_unpartitioned`);
    await q.query(`DROP TABLE domain_events_unpartitioned`);
    await isolateCompanies(q, 'domain_events');

    // The prunes: each reads only the rows it removes.
    await q.query(`CREATE INDEX ix__jobs__finished ON jobs (status, updated_at) WHERE status IN ('done', 'failed')`);
    await q.query(`CREATE INDEX ix__notifications__read_at ON notifications (read_at) WHERE read_at IS NOT NULL`);
    await q.query(`CREATE INDEX ix__rate_counters__window_start ON rate_counters (window_start)`);
    await q.query(`CREATE INDEX ix__call_budget_calls__at ON call_budget_calls (at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix__call_budget_calls__at`);
    await q.query(`DROP INDEX ix__rate_counters__window_start`);
    await q.query(`DROP INDEX ix__notifications__read_at`);
    await q.query(`DROP INDEX ix__jobs__finished`);
    await q.query(`DROP FUNCTION maintain_domain_event_partitions(integer)`);
    await q.query(`DROP TABLE retention_settings`);
    await q.query(`ALTER TABLE domain_events RENAME TO domain_events_partitioned`);
    await q.query(`ALTER INDEX ix__domain_events__entity RENAME TO ix__domain_events_partitioned__entity`);
    await q.query(`
      CREATE TABLE domain_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(), company_id uuid NOT NULL, type text NOT NULL,
        entity_type text NOT NULL, entity_id uuid NOT NULL, actor_id text NOT NULL, version integer,
        payload jsonb NOT NULL DEFAULT '{}', occurred_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE INDEX ix__domain_events__entity ON domain_events (company_id, entity_id, occurred_at DESC, id DESC)`);
    await q.query(`INSERT INTO domain_events SELECT * FROM domain_events_partitioned`);
    await q.query(`DROP TABLE domain_events_partitioned`);
    await isolateCompanies(q, 'domain_events');
  }
}
