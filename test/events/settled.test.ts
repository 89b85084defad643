import { useTestBase } from '../support/harness';
import { expectGqlError, expectRestError, gqlData } from '../support/assertions';
import { rowsWhere } from '../support/fixtures';
import { createEvent } from './support';
import { holdRow } from '../support/row-hold';
import { shows } from './shows';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * A settled event is read-only itself, not only its children: its fields and lineup (REST PUT, the
 * GraphQL update), deleting it, and accepting an offer that would count in its settlement are 409
 * and change nothing; the races settle has with those writes are decided by the database.
 */
const base = useTestBase();
const { company, post, must, sentOffer, show, settlement } = shows(base);

const readOnly = [{ field: 'status', current: 'settled' }];
const getEvent = async (who: { admin: any }, id: string) => must(base.rest('GET', `/api/events/${id}`, { as: who.admin }));

describe('a settled event refuses changes of itself', () => {
  test('REST PUT (fields and lineup), GraphQL updateEvent and DELETE are 409; the event and its statement still agree', async () => {
    const who = await company();
    const { event } = await show(who, { taxRate: 2000, tiers: [{ price: 1200, sold: 10 }], deals: [{ dealType: 'flat', guarantee: 3000 }] });
    await must(post(who.admin, `/api/events/${event.id}/settle`));
    const settled = await getEvent(who, event.id);
    const statement = await settlement(who.admin, event.id);
    expect({ tax: statement.tax, payouts: statement.payouts.length }).toEqual({ tax: 2000, payouts: 1 });

    const path = `/api/events/${event.id}`;
    for (const body of [{ taxRate: 0, lineup: [] }, { lineup: [] }, { name: 'Renamed' }, { notes: 'after the show', version: settled.version }]) {
      const refused = expectRestError(await base.rest('PUT', path, { as: who.admin, body }), 409, 'CONFLICT');
      expect({ message: refused.message, details: refused.details }).toEqual({ message: 'The Event is settled: it is read-only', details: readOnly });
    }
    const gql = expectGqlError(
      await base.gql(`mutation($id: ID!) { updateEvent(id: $id, input: { taxRate: 0, lineup: [] }) { id } }`, { id: event.id }, { as: who.admin }),
      'CONFLICT',
      ['updateEvent'],
    );
    expect(gql.extensions?.details).toEqual(readOnly);
    expect(expectRestError(await base.rest('DELETE', path, { as: who.admin }), 409, 'CONFLICT').message).toBe('The Event is settled: it is read-only');
    expectGqlError(await base.gql(`mutation($id: ID!) { deleteEvent(id: $id) }`, { id: event.id }, { as: who.admin }), 'CONFLICT', ['deleteEvent']);

    expect(await getEvent(who, event.id)).toEqual(settled);
    expect(await settlement(who.admin, event.id)).toEqual(statement);
    expect(await rowsWhere(base, 'domain_events', { entity_id: event.id, type: 'event.updated' })).toBe(0);

    // Before it settles, a completed event still changes, and an event without a statement goes.
    const open = (await show(who, { taxRate: 2000, deals: [{ dealType: 'flat', guarantee: 3000 }] })).event;
    const changed = await must(base.rest('PUT', `/api/events/${open.id}`, { as: who.admin, body: { taxRate: 0, lineup: [] } }));
    expect({ status: changed.status, taxRate: changed.taxRate, lineup: changed.lineup }).toEqual({ status: 'completed', taxRate: 0, lineup: [] });
    const draft = await createEvent(base, who.admin);
    expect((await base.rest('DELETE', `/api/events/${draft.id}`, { as: who.admin })).status).toBe(204);
  });
});

describe('offers that would count in a settled statement', () => {
  test('accepting an offer for a settled event is 409 on both surfaces; an accepted offer keeps its terms; nothing changes', async () => {
    const who = await company();
    const { event, artists, offers } = await show(who, { tiers: [{ price: 1000, sold: 10 }], deals: [{ dealType: 'flat', guarantee: 3000 }] });
    // A second offer to the headliner, sent before the settle: accepted, it would be the one paid.
    const later = await sentOffer(who.admin, event.id, artists[0].id, { dealType: 'flat', guarantee: 9000 });
    await must(post(who.admin, `/api/events/${event.id}/settle`));
    const statement = await settlement(who.admin, event.id);
    expect(statement.payouts).toEqual([expect.objectContaining({ offerId: offers[0].id, amount: 3000 })]);

    const refused = expectRestError(await post(who.admin, `/api/offers/${later.id}/accept`), 409, 'CONFLICT');
    expect({ message: refused.message, details: refused.details }).toEqual({
      message: 'The Event is settled: accept of its offers is refused',
      details: [{ field: 'event.status', current: 'settled' }],
    });
    expectGqlError(await base.gql(`mutation($id: ID!) { acceptOffer(id: $id) { id } }`, { id: later.id }, { as: who.admin }), 'CONFLICT', ['acceptOffer']);
    expectRestError(await base.rest('PUT', `/api/offers/${offers[0].id}`, { as: who.admin, body: { guarantee: 1 } }), 409, 'CONFLICT');

    expect((await must(base.rest('GET', `/api/offers/${later.id}`, { as: who.admin }))).status).toBe('sent');
    expect(await rowsWhere(base, 'agreements', { offer_id: later.id })).toBe(0);
    expect((await must(base.rest('GET', `/api/offers/${offers[0].id}`, { as: who.admin }))).guarantee).toBe(3000);
    expect(await settlement(who.admin, event.id)).toEqual(statement);
    // What the stored statement says is also what the event's records say now.
    await base.sql(`delete from "${base.schema}".settlements where event_id = $1`, [event.id]);
    expect((await settlement(who.admin, event.id)).payouts).toEqual(statement.payouts);
  });
});

test('both descriptions say what a settled event refuses', async () => {
  const who = await company();
  const { paths } = (await base.rest('GET', '/api/openapi.json', { as: who.admin })).body;
  const mutations = gqlData(await base.gql('{ __type(name: "Mutation") { fields { name description } } }', {}, { as: who.admin })).__type.fields;
  const described = (name: string) => mutations.find((m: any) => m.name === name).description;
  const settled = /Refused \(409\) while (the|its) event is settled\./;
  for (const text of [
    paths['/api/events/{id}'].put.description,
    paths['/api/events/{id}'].delete.description,
    paths['/api/events/{eventId}/incomes'].post.description,
    paths['/api/offers/{id}/accept'].post.description,
    described('updateEvent'),
    described('deleteEvent'),
    described('createIncome'),
    described('acceptOffer'),
  ]) {
    expect(text).toMatch(settled);
  }
  expect(paths['/api/events/{id}/settle'].post.description).toMatch(/every change of itself \(its fields, lineup included, and deleting it\)/);
});

/**
 * Both requests in flight at once, queued on the event's row in the order given (a session of the
 * test holds it until both wait), so each order is tried, not only the one the scheduler favours.
 */
async function race<A, B>(eventId: string, first: () => Promise<A>, second: () => Promise<B>): Promise<[A, B]> {
  const hold = await holdRow(base, 'events', eventId);
  try {
    const a = first();
    await hold.waiting(1);
    const b = second();
    await hold.waiting(2);
    await hold.release();
    return [await a, await b];
  } catch (err) {
    await hold.release();
    throw err;
  }
}

describe('races decided by the database', () => {
  test('settle against an edit of the event, in either order: the edit is settled with the event, or refused', async () => {
    const who = await company();
    for (const first of ['settle', 'edit'] as const) {
      const { event } = await show(who, { taxRate: 2000, tiers: [{ price: 1200, sold: 10 }], deals: [{ dealType: 'flat', guarantee: 3000 }] });
      const settle = () => post(who.admin, `/api/events/${event.id}/settle`);
      const edit = () => base.rest('PUT', `/api/events/${event.id}`, { as: who.admin, body: { taxRate: 0, lineup: [] } });
      const [settled, edited] = first === 'settle' ? await race(event.id, settle, edit) : (await race(event.id, edit, settle)).reverse();
      expect({ first, settle: settled.status, edit: edited.status }).toEqual({ first, settle: 200, edit: first === 'settle' ? 409 : 200 });
      const now = await getEvent(who, event.id);
      const { tax, payouts } = await settlement(who.admin, event.id);
      const agreed = first === 'settle' ? { taxRate: 2000, lineup: 1, tax: 2000, payouts: 1 } : { taxRate: 0, lineup: 0, tax: 0, payouts: 0 };
      expect({ first, taxRate: now.taxRate, lineup: now.lineup.length, tax, payouts: payouts.length }).toEqual({ first, ...agreed });
    }
  });

  test('settle against accepting an offer of the event, in either order: the statement pays the offer exactly when it was accepted', async () => {
    const who = await company();
    for (const first of ['settle', 'accept'] as const) {
      const { event, artists } = await show(who, { tiers: [{ price: 1000, sold: 10 }], deals: [{ dealType: 'flat', guarantee: 3000 }] });
      const later = await sentOffer(who.admin, event.id, artists[0].id, { dealType: 'flat', guarantee: 9000 });
      const settle = () => post(who.admin, `/api/events/${event.id}/settle`);
      const accept = () => post(who.admin, `/api/offers/${later.id}/accept`);
      const [settled, accepted] = first === 'settle' ? await race(event.id, settle, accept) : (await race(event.id, accept, settle)).reverse();
      expect({ first, settle: settled.status, accept: accepted.status }).toEqual({ first, settle: 200, accept: first === 'settle' ? 409 : 200 });
      const { payouts } = await settlement(who.admin, event.id);
      expect({ first, paid: payouts.map((p: any) => p.amount) }).toEqual({ first, paid: [first === 'settle' ? 3000 : 9000] });
    }
  });
});
