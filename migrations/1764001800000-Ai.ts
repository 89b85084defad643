import { MigrationInterface, QueryRunner } from 'typeorm';
import { isolateCompanies } from './support/row-level-security';

/**
 * Per-company call counters (the AI limit; any limit that every instance must share) and the record
 * of each AI call's token usage. A counter row is one company's count of one key in one fixed window;
 * the upsert on its primary key is what makes concurrent counting exact.
 */
export class Ai1764001800000 implements MigrationInterface {
  name = 'Ai1764001800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rate_counters (
        company_id   uuid        NOT NULL,
        key          text        NOT NULL,
        window_start timestamptz NOT NULL,
        count        integer     NOT NULL,
        CONSTRAINT pk__rate_counters PRIMARY KEY (company_id, key, window_start),
        CONSTRAINT ck__rate_counters__count_positive CHECK (count > 0)
      )`);
    await isolateCompanies(q, 'rate_counters');

    await q.query(`
      CREATE TABLE ai_calls (
        id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        company_id        uuid        NOT NULL,
        helper            text        NOT NULL,
        model             text        NOT NULL,
        prompt_tokens     integer     NOT NULL,
        completion_tokens integer     NOT NULL,
        total_tokens      integer     NOT NULL,
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now(),
        created_by        text        NOT NULL,
        version           integer     NOT NULL DEFAULT 1,
        CONSTRAINT uq__ai_calls__company_id_id UNIQUE (company_id, id),
        CONSTRAINT ck__ai_calls__helper CHECK (helper IN ('offer-draft', 'event-summary', 'expense-from-text')),
        CONSTRAINT ck__ai_calls__tokens_not_negative CHECK (prompt_tokens >= 0 AND completion_tokens >= 0 AND total_tokens >= 0)
      )`);
    await q.query(`CREATE INDEX ix__ai_calls__company_created ON ai_calls (company_id, created_at)`);
    await isolateCompanies(q, 'ai_calls');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ai_calls`);
    await q.query(`DROP TABLE rate_counters`);
  }
}
