import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The amount waiting for approval per currency (`meta.totals` of the approval queue, the dashboard's
 * pending approvals) sums every submitted expense of the company: with the amount in the index of
 * the queue, that sum reads the index alone, never the expenses' rows.
 */
export class ApprovalTotals1764003100000 implements MigrationInterface {
  name = 'ApprovalTotals1764003100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix__expenses__queue_totals ON expenses (company_id, currency) INCLUDE (amount) WHERE status = 'submitted'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix__expenses__queue_totals`);
  }
}
