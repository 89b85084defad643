import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Holds, offers and agreements built before events existed kept `event_id` as a plain id; now it is a
 * reference to an event of the same company (composite foreign key), so a hold or offer can never
 * name another company's event, and an event that bookings point at cannot be deleted (409).
 */
const TABLES = ['avails', 'offers', 'agreements'];

export class BookingEventLinks1764001200000 implements MigrationInterface {
  name = 'BookingEventLinks1764001200000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await q.query(`
        ALTER TABLE ${table} ADD CONSTRAINT fk__${table}__event_id FOREIGN KEY (company_id, event_id)
          REFERENCES events (company_id, id) ON DELETE NO ACTION`);
      // The foreign key's look-up when an event is deleted, and Event → bookings.
      await q.query(`CREATE INDEX ix__${table}__event ON ${table} (company_id, event_id) WHERE event_id IS NOT NULL`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await q.query(`DROP INDEX ix__${table}__event`);
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT fk__${table}__event_id`);
    }
  }
}
