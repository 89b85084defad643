import { MigrationInterface, QueryRunner } from 'typeorm';

/** Background jobs (src/jobs): scheduled, retried and periodic work, claimed with SKIP LOCKED. */
export class Jobs1764000700000 implements MigrationInterface {
  name = 'Jobs1764000700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE jobs (
        id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        -- null for work that is not one company's (sweeps across companies)
        company_id    uuid,
        kind          text        NOT NULL,
        payload       jsonb       NOT NULL DEFAULT '{}',
        status        text        NOT NULL DEFAULT 'pending',
        run_at        timestamptz NOT NULL DEFAULT now(),
        attempts      integer     NOT NULL DEFAULT 0,
        max_attempts  integer     NOT NULL DEFAULT 5,
        last_error    text,
        locked_by     text,
        locked_until  timestamptz,
        dedupe_key    text,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck__jobs__status CHECK (status IN ('pending', 'running', 'done', 'failed')),
        CONSTRAINT ck__jobs__kind_not_empty CHECK (kind <> ''),
        CONSTRAINT ck__jobs__attempts_in_range CHECK (attempts >= 0 AND max_attempts >= 1),
        -- a running job always has an owner and a lease; nothing else has either
        CONSTRAINT ck__jobs__locked_while_running CHECK (
          (status = 'running') = (locked_by IS NOT NULL AND locked_until IS NOT NULL)
          AND (locked_by IS NULL) = (locked_until IS NULL))
      )`);
    // One live job per dedupe key: scheduling "expire hold X" again moves the pending job instead of
    // adding one. Finished jobs keep their key without blocking the next one.
    await q.query(`
      CREATE UNIQUE INDEX uq__jobs__dedupe_key ON jobs (dedupe_key)
        WHERE dedupe_key IS NOT NULL AND status IN ('pending', 'running')`);
    await q.query(`CREATE INDEX ix__jobs__claim ON jobs (status, run_at)`);
    await q.query(`CREATE INDEX ix__jobs__lease ON jobs (locked_until) WHERE status = 'running'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE jobs`);
  }
}
