import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * companies.id gets the default every other table's id has, as the shared entity base declares
 * (TypeORM's schema diff drafted it otherwise). The service always sets it: the CHECK keeps it equal
 * to company_id, so the default never produces a row.
 */
export class CompanyIdDefault1764000150000 implements MigrationInterface {
  name = 'CompanyIdDefault1764000150000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE companies ALTER COLUMN id SET DEFAULT gen_random_uuid()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE companies ALTER COLUMN id DROP DEFAULT`);
  }
}
