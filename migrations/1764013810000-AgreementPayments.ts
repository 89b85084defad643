import { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateCompanies } from './support/row-level-security';

/**
 * The payment schedule of agreements (`/api/agreements/{id}/payments`, issue 24): each payment
 * belongs to an agreement of its company. `status` stores due or paid (overdue is how a due one past
 * its due time reads); `overdue_notified_at` is written once, with the event `payment.overdue`.
 * Partial indexes serve the dashboard's payments due (per company, by due time) and the overdue
 * sweep (across companies, only the due payments not yet told).
 */
export class AgreementPayments1764013810000 implements MigrationInterface {
  name = 'AgreementPayments1764013810000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agreement_payments (
        id                  uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        company_id          uuid        NOT NULL,
        agreement_id        uuid        NOT NULL,
        kind                text        NOT NULL,
        amount              bigint      NOT NULL,
        currency            text        NOT NULL,
        due_at              timestamptz NOT NULL,
        reference           text,
        status              text        NOT NULL,
        paid_at             timestamptz,
        overdue_notified_at timestamptz,
        created_at          timestamptz NOT NULL DEFAULT now(),
        updated_at          timestamptz NOT NULL DEFAULT now(),
        created_by          text        NOT NULL,
        version             integer     NOT NULL DEFAULT 1,
        CONSTRAINT uq__agreement_payments__company_id_id UNIQUE (company_id, id),
        CONSTRAINT fk__agreement_payments__agreement_id FOREIGN KEY (company_id, agreement_id)
          REFERENCES agreements (company_id, id) ON DELETE NO ACTION,
        CONSTRAINT ck__agreement_payments__kind CHECK (kind IN ('deposit', 'balance', 'other')),
        CONSTRAINT ck__agreement_payments__status CHECK (status IN ('due', 'overdue', 'paid')),
        CONSTRAINT ck__agreement_payments__amount_not_negative CHECK (amount >= 0),
        CONSTRAINT ck__agreement_payments__paid_at CHECK ((status = 'paid') = (paid_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX ix__agreement_payments__list ON agreement_payments (company_id, agreement_id, due_at, id)`);
    await q.query(`CREATE INDEX ix__agreement_payments__due ON agreement_payments (company_id, due_at) INCLUDE (currency, amount) WHERE status = 'due'`);
    await q.query(`CREATE INDEX ix__agreement_payments__overdue_unnotified ON agreement_payments (due_at) WHERE status = 'due' AND overdue_notified_at IS NULL`);
    await isolateCompanies(q, 'agreement_payments');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE agreement_payments`);
  }
}
