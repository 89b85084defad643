import { checkEventKeys, declaredEvents, IRREGULAR_PARTICIPLES, pastParticiple } from '../../src/core/event-types';
import type { EventHandlers } from '../../src/core/events';
import { defineFamily } from '../../src/core/family';
import { isFamilyModule, type Module, type ServiceModule } from '../../src/core/module';
import { TenantEntity } from '../../src/db/base-entity';
import { MODULES } from '../../src/modules';
import { EVENT_SOURCES } from '../../src/modules/event-types';
import { RENAMED_EVENT_TYPES } from '../../migrations/1764004200000-EventTypesPastTense';
import { startTestBase } from '../support/harness';

/**
 * Event types speak one tense and are declared: `<family>.<past participle>` for the kit's, the
 * actions' and what families and modules record themselves; handlers and notices keyed on anything
 * else stop the start-up (and, where the types reach, the compile).
 */

const IRREGULAR = new Set<string>([...Object.values(IRREGULAR_PARTICIPLES), 'sold', 'paid']);
/** A past-participle phrase: `approved`, `moved-up`, `sold-out`, `agreement-deleted`, `sales-opened`. */
const isPastParticiplePhrase = (what: string) => {
  if (!/^[a-z]+(-[a-z]+)*$/.test(what)) return false;
  const words = what.split('-');
  return [words[0], words.at(-1)!].some((w) => w.endsWith('ed') || IRREGULAR.has(w));
};
const ownerOf = (module: Module) => (isFamilyModule(module) ? module.family.singular : module.name);

test('every event type of Base is <family>.<past participle>, the family being the one that declares it', () => {
  const wrong: string[] = [];
  for (const module of MODULES) {
    const events = isFamilyModule(module) ? module.family.events : (module.events ?? []);
    for (const { type } of events) {
      const [owner, what, ...rest] = type.split('.');
      if (owner !== ownerOf(module) || rest.length || !isPastParticiplePhrase(what)) wrong.push(type);
    }
  }
  expect(wrong).toEqual([]);
  expect(declaredEvents(MODULES).size).toBeGreaterThan(60);
  // The rule can fail: the spellings of before.
  expect(['expense.approve', 'ticket.sales', 'avail.challenge', 'event.openSales'].filter((t) => isPastParticiplePhrase(t.split('.')[1]))).toEqual([]);
});

test('the compile-time registry (EVENT_SOURCES) declares exactly the event types of MODULES', () => {
  const registered = EVENT_SOURCES.flatMap((source) => source.events.map((e) => e.type)).sort();
  expect(registered).toEqual([...declaredEvents(MODULES).keys()].sort());
});

test('an action’s event is its name as a past participle: regular, irregular, or named by the action', () => {
  expect(['approve', 'confirm', 'release', 'reopen', 'send', 'withdraw', 'read', 'cancel', 'submit'].map(pastParticiple)).toEqual([
    'approved',
    'confirmed',
    'released',
    'reopened',
    'sent',
    'withdrawn',
    'read',
    'cancelled',
    'submitted',
  ]);
  expect(() => pastParticiple('openSales')).toThrow(/name the action's event/);
  const events = MODULES.filter(isFamilyModule).flatMap((m) => m.family.actions.map((a) => [`${m.family.singular}.${a.name}`, a.event]));
  expect(Object.fromEntries(events)).toMatchObject({
    'expense.approve': 'expense.approved',
    'event.openSales': 'event.sales-opened',
    'avail.challenge': 'avail.challenge-issued',
    'ticket.sales': 'ticket.sales-recorded',
    'notification.read': 'notification.read',
  });
});

test('the migration renames every action event of before to its declared type, and nothing else', () => {
  const declared = declaredEvents(MODULES);
  const renamed = new Map(RENAMED_EVENT_TYPES);
  expect(renamed.size).toBe(RENAMED_EVENT_TYPES.length);
  for (const after of renamed.values()) expect(declared.has(after)).toBe(true);
  // No spelling of before is a type of now: a renamed row can never be mistaken for a new one.
  for (const before of renamed.keys()) expect(declared.has(before)).toBe(false);
  // Families declared after that migration never had an event of before.
  const addedSince = ['webhook', 'payment'];
  const expected = MODULES.filter(isFamilyModule)
    .filter((m) => !addedSince.includes(m.family.singular))
    .flatMap((m) => m.family.actions.map((a) => [`${m.family.singular}.${a.name}`, a.event] as const))
    .filter(([before, after]) => before !== after);
  expect([...renamed].sort()).toEqual(expected.sort());
});

describe('the composition refuses handlers and notices of undeclared event types', () => {
  const probe = (parts: Partial<ServiceModule>): Module[] => [...MODULES, { name: 'probe', ...parts }];

  test('checkEventKeys names each unknown key and who declared it; `*` and declared types pass', () => {
    // @ts-expect-error -- the types already refuse a key no declaration spells
    const misspelled: EventHandlers = { 'expense.approve': [async () => {}] };
    expect(() => checkEventKeys(probe({ handlers: misspelled }))).toThrow('Unknown event types (no module declares them): probe handles expense.approve');
    // @ts-expect-error -- likewise for a notice
    expect(() => checkEventKeys(probe({ notices: { 'avail.release': { title: 'gone' } } }))).toThrow('probe declares a notice of avail.release');
    expect(() => checkEventKeys(probe({ handlers: { '*': [async () => {}], 'expense.approved': [async () => {}] }, notices: {} }))).not.toThrow();
    expect(() => checkEventKeys(MODULES)).not.toThrow();
  });

  test('a module’s own events are declared with it; declaring a type twice is an error', () => {
    const events = [{ type: 'probe.pinged', description: 'A probe.' }];
    expect(() => checkEventKeys(probe({ events, handlers: { ['probe.pinged' as 'expense.approved']: [async () => {}] } }))).not.toThrow();
    expect(() => declaredEvents(probe({ events: [{ type: 'expense.approved', description: 'Again.' }] }))).toThrow('The event type expense.approved is declared twice');
  });

  test('start-up stops: the server does not start with a handler of an unknown event', async () => {
    const handlers = { 'expense.approve': [async () => {}] } as unknown as EventHandlers;
    await expect(startTestBase({}, { modules: probe({ handlers }) })).rejects.toThrow(/probe handles expense\.approve/);
  });
});

describe('a family declaration’s events and moves are checked when it is declared', () => {
  class Probe extends TenantEntity {
    status: 'a' | 'b';
  }
  const base = {
    entity: Probe,
    resource: 'task' as const,
    singular: 'probe',
    plural: 'probes',
    fields: {},
    filters: {},
    order: () => {},
  };
  const states = { field: 'status', states: ['a', 'b'] as const, initial: 'a' as const };

  test('an action event that is declared twice, a camel-case action without its event, `to` a state it lacks or without states', () => {
    expect(() => defineFamily({ ...base, states, events: { finished: 'Twice.' }, actions: { finish: { permission: 'edit', description: 'x', to: 'b', run: async () => {} } } })).toThrow(
      'Probe: the event types probe.finished are declared twice',
    );
    expect(() => defineFamily({ ...base, states, actions: { finishUp: { permission: 'edit', description: 'x', run: async () => {} } } })).toThrow(/name the action's event/);
    // @ts-expect-error -- the types refuse a state the machine lacks
    expect(() => defineFamily({ ...base, states, actions: { finish: { permission: 'edit', description: 'x', to: 'c', run: async () => {} } } })).toThrow('Probe.finish: unknown states c');
    expect(() => defineFamily({ ...base, actions: { finish: { permission: 'edit', description: 'x', to: 'b', run: async () => {} } } })).toThrow('Probe.finish: `to` needs states');
    expect(() => defineFamily({ ...base, states: { ...states, moves: [{ from: ['a'], to: 'z' as 'b', when: 'never' }] } })).toThrow('Probe.states.moves[0]: unknown states z');
  });
});
