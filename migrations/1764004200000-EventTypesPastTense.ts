import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Event types speak one tense, `<family>.<past participle>`: the events of actions were named by the
 * action (`expense.approve`), while the kit's and the ladder's were past (`artist.created`,
 * `avail.released`). The history already stored is renamed with them, so a record's history reads
 * one way from its start. `domain_events` is partitioned by month: the update of the parent reaches
 * every partition. Row-level security is lifted for the owner for the length of this migration's
 * transaction only (FORCE would show it no company's rows).
 */
export const RENAMED_EVENT_TYPES: readonly (readonly [before: string, after: string])[] = [
  ['agreement.send', 'agreement.sent'],
  ['agreement.sign', 'agreement.signed'],
  ['agreement.cancel', 'agreement.cancelled'],
  ['avail.confirm', 'avail.confirmed'],
  ['avail.release', 'avail.released'],
  // The challenger's own event: the challenged hold's stays `avail.challenged`.
  ['avail.challenge', 'avail.challenge-issued'],
  ['event.announce', 'event.announced'],
  ['event.openSales', 'event.sales-opened'],
  ['event.soldOut', 'event.sold-out'],
  ['event.cancel', 'event.cancelled'],
  ['event.complete', 'event.completed'],
  ['event.settle', 'event.settled'],
  ['expense.submit', 'expense.submitted'],
  ['expense.approve', 'expense.approved'],
  ['expense.reject', 'expense.rejected'],
  ['offer.send', 'offer.sent'],
  ['offer.accept', 'offer.accepted'],
  ['offer.decline', 'offer.declined'],
  ['offer.withdraw', 'offer.withdrawn'],
  ['task.start', 'task.started'],
  ['task.complete', 'task.completed'],
  ['task.cancel', 'task.cancelled'],
  ['task.reopen', 'task.reopened'],
  ['ticket.sales', 'ticket.sales-recorded'],
  ['ticket.pause', 'ticket.paused'],
  ['ticket.resume', 'ticket.resumed'],
];

async function rename(q: QueryRunner, pairs: readonly (readonly [string, string])[], only = 'true'): Promise<void> {
  await q.query(`ALTER TABLE domain_events NO FORCE ROW LEVEL SECURITY`);
  await q.query(
    `UPDATE domain_events d SET type = r.renamed
       FROM unnest($1::text[], $2::text[]) AS r(type, renamed)
      WHERE d.type = r.type AND ${only}`,
    [pairs.map(([from]) => from), pairs.map(([, to]) => to)],
  );
  await q.query(`ALTER TABLE domain_events FORCE ROW LEVEL SECURITY`);
}

export class EventTypesPastTense1764004200000 implements MigrationInterface {
  name = 'EventTypesPastTense1764004200000';

  async up(q: QueryRunner): Promise<void> {
    await rename(q, RENAMED_EVENT_TYPES);
  }

  async down(q: QueryRunner): Promise<void> {
    // `avail.released` is also the ladder's (which names a reason): only the action's carries `from`.
    const back = RENAMED_EVENT_TYPES.map(([before, after]) => [after, before] as const);
    await rename(q, back.filter(([after]) => after !== 'avail.released'));
    await rename(q, back.filter(([after]) => after === 'avail.released'), `d.payload ? 'from'`);
  }
}
