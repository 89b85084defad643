import { MigrationInterface, QueryRunner } from 'typeorm';
import { companyIsolationCondition } from './support/row-level-security';

/**
 * Calendar feeds (`/calendar/<secret>.ics`): one row per feed, its URL's secret kept as SHA-256
 * only (unique: the URL is found by it in one index probe), under row-level security like every
 * company table.
 *
 * A feed's URL is read without a token or x-org, so the company is not known before the feed is
 * found. `calendar_feed_owner(hash)` is the one way across companies: SECURITY DEFINER, it answers
 * the company and owner of the unrevoked feed with that hash and nothing else; the service then
 * reads the feed and its calendar in that company's unit of work, under row-level security. Inside
 * the function current_user is the table's owner, which the FORCEd policy admits here (the owner
 * could lift the policy anyway); the service's role cannot become the owner.
 */
export class CalendarFeeds1764013100000 implements MigrationInterface {
  name = 'CalendarFeeds1764013100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calendar_feeds (
        id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        company_id  uuid        NOT NULL,
        secret_hash bytea       NOT NULL,
        scope       text        NOT NULL,
        scope_id    uuid,
        include     text[]      NOT NULL,
        expires_at  timestamptz NOT NULL,
        revoked_at  timestamptz,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        created_by  text        NOT NULL,
        version     integer     NOT NULL DEFAULT 1,
        CONSTRAINT uq__calendar_feeds__company_id_id UNIQUE (company_id, id),
        CONSTRAINT uq__calendar_feeds__secret_hash UNIQUE (secret_hash),
        CONSTRAINT ck__calendar_feeds__scope CHECK (scope IN ('company', 'venue', 'artist')),
        CONSTRAINT ck__calendar_feeds__scope_id CHECK ((scope = 'company') = (scope_id IS NULL)),
        CONSTRAINT ck__calendar_feeds__include CHECK (cardinality(include) > 0 AND include <@ ARRAY['events', 'holds']::text[])
      )`);
    await q.query(`CREATE INDEX ix__calendar_feeds__list ON calendar_feeds (company_id, created_by, created_at, id)`);
    await q.query(`CREATE INDEX ix__calendar_feeds__revoked_at ON calendar_feeds (revoked_at) WHERE revoked_at IS NOT NULL`);
    await q.query(`CREATE INDEX ix__calendar_feeds__expires_at ON calendar_feeds (expires_at)`);
    const owner = `(SELECT current_user = pg_get_userbyid(c.relowner) FROM pg_class c WHERE c.oid = 'calendar_feeds'::regclass)`;
    const condition = companyIsolationCondition(owner);
    await q.query(`ALTER TABLE calendar_feeds ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE calendar_feeds FORCE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY company_isolation ON calendar_feeds USING (${condition}) WITH CHECK (${condition})`);
    await q.query(`
      CREATE FUNCTION calendar_feed_owner(p_secret_hash bytea, OUT company_id uuid, OUT user_id text)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
        SELECT f.company_id, f.created_by FROM calendar_feeds f WHERE f.secret_hash = p_secret_hash AND f.revoked_at IS NULL
      $$`);
    await q.query(`REVOKE ALL ON FUNCTION calendar_feed_owner(bytea) FROM PUBLIC`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION calendar_feed_owner(bytea)`);
    await q.query(`DROP TABLE calendar_feeds`);
  }
}
