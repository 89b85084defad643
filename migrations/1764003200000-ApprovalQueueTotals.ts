import { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateCompanies } from './support/row-level-security';

/**
 * What the approval queue amounts to, kept as it changes rather than summed on every read.
 *
 * `approval_queue_totals` holds one row per company and currency: the amount and the number of its
 * submitted expenses. A trigger on `expenses` moves them in the same transaction as the change that
 * enters or leaves the queue, so `meta.totals` of the queue and the dashboard's pending approvals read
 * a row per currency whatever the queue's length. Concurrent changes in one company and currency
 * queue on that row's lock, so no increment is lost.
 *
 * The queue's page index gains `id`, the order's tie-breaker, so a page never sorts the queue; the
 * covering index the sums used to read goes.
 */
export class ApprovalQueueTotals1764003200000 implements MigrationInterface {
  name = 'ApprovalQueueTotals1764003200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE approval_queue_totals (
        company_id uuid    NOT NULL,
        currency   text    NOT NULL,
        amount     bigint  NOT NULL,
        count      integer NOT NULL,
        CONSTRAINT pk__approval_queue_totals PRIMARY KEY (company_id, currency),
        CONSTRAINT ck__approval_queue_totals__count_not_negative CHECK (count >= 0)
      )`);
    await isolateCompanies(q, 'approval_queue_totals');
    await q.query(`
      INSERT INTO approval_queue_totals (company_id, currency, amount, count)
      SELECT company_id, currency, sum(amount), count(*) FROM expenses WHERE status = 'submitted' GROUP BY company_id, currency`);

    // The caller's role runs it (its rows pass the same policy); the search path is this schema's,
    // fixed when it is created.
    await q.query(`
      CREATE FUNCTION track_approval_queue_totals() RETURNS trigger
        LANGUAGE plpgsql SET search_path FROM CURRENT AS $fn$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.status IS NOT DISTINCT FROM NEW.status AND OLD.amount IS NOT DISTINCT FROM NEW.amount
           AND OLD.currency IS NOT DISTINCT FROM NEW.currency AND OLD.company_id IS NOT DISTINCT FROM NEW.company_id THEN
          RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'submitted' THEN
          UPDATE approval_queue_totals SET amount = amount - OLD.amount, count = count - 1
           WHERE company_id = OLD.company_id AND currency = OLD.currency;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'submitted' THEN
          INSERT INTO approval_queue_totals AS t (company_id, currency, amount, count)
          VALUES (NEW.company_id, NEW.currency, NEW.amount, 1)
          ON CONFLICT (company_id, currency) DO UPDATE SET amount = t.amount + EXCLUDED.amount, count = t.count + 1;
        END IF;
        RETURN NULL;
      END $fn$`);
    await q.query(`
      CREATE TRIGGER tr__expenses__approval_queue_totals
        AFTER INSERT OR DELETE OR UPDATE OF status, amount, currency, company_id ON expenses
        FOR EACH ROW EXECUTE FUNCTION track_approval_queue_totals()`);

    await q.query(`DROP INDEX ix__expenses__queue_totals`);
    await q.query(`DROP INDEX ix__expenses__queue`);
    await q.query(`CREATE INDEX ix__expenses__queue ON expenses (company_id, submitted_at, id) WHERE status = 'submitted'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix__expenses__queue`);
    await q.query(`CREATE INDEX ix__expenses__queue ON expenses (company_id, submitted_at) WHERE status = 'submitted'`);
    await q.query(`CREATE INDEX ix__expenses__queue_totals ON expenses (company_id, currency) INCLUDE (amount) WHERE status = 'submitted'`);
    await q.query(`DROP TRIGGER tr__expenses__approval_queue_totals ON expenses`);
    await q.query(`DROP FUNCTION track_approval_queue_totals()`);
    await q.query(`DROP TABLE approval_queue_totals`);
  }
}
