import type { Module } from './module';
import { isFamilyModule } from './module';

/**
 * Event types speak one tense: `<family>.<past participle>` (`expense.approved`, `avail.moved-up`,
 * `offer.agreement-deleted`). Every type is declared: the kit's own (`created`, `updated`,
 * `deleted`), one per action (its name made a past participle, or the `event` it names), and those a
 * family or module records itself (`events`). The composition refuses a handler or notice keyed on
 * a type nobody declares, and the types below make such a key a compile error where they can.
 */

/**
 * Every event type the composition knows, as keys: `src/modules/event-types.ts` adds those of Base's
 * families and modules (a test's fixture families add theirs the same way). Keys only; the values
 * mean nothing.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by declaration merging
export interface EventTypes {}

/** One declared event type. */
export type EventType = Extract<keyof EventTypes, string>;

/** The events the kit records for a family's standard operations. */
export const STANDARD_EVENTS = ['created', 'updated', 'deleted'] as const;
export type StandardEvent = (typeof STANDARD_EVENTS)[number];

/**
 * Verbs whose past participle is not the verb with `d` (ends in `e`) or `ed` added: the one place
 * they are spelled. An action named by such a verb needs its entry here (or an `event` of its own).
 */
export const IRREGULAR_PARTICIPLES = {
  cancel: 'cancelled',
  read: 'read',
  send: 'sent',
  submit: 'submitted',
  withdraw: 'withdrawn',
} as const;
type Irregular = typeof IRREGULAR_PARTICIPLES;

/** `approve` → `approved`, `confirm` → `confirmed`, `send` → `sent`: the same rule as pastParticiple(). */
export type PastParticiple<V extends string> = V extends keyof Irregular ? Irregular[V] : V extends `${string}e` ? `${V}d` : `${V}ed`;

/** An action's event (its part after `<family>.`) from its name: a one-word, lower-case verb. */
export function pastParticiple(verb: string): string {
  if (!/^[a-z]+$/.test(verb)) throw new Error(`"${verb}" is not a one-word verb: name the action's event (\`event\`)`);
  if (Object.hasOwn(IRREGULAR_PARTICIPLES, verb)) return IRREGULAR_PARTICIPLES[verb as keyof Irregular];
  return verb.endsWith('e') ? `${verb}d` : `${verb}ed`;
}

/** The event types a family declaration (or anything with `events`) records. */
export type EventTypeOf<F> = F extends { events: readonly { type: infer T }[] } ? T : never;

/** One declared event type and what it means. */
export interface EventDecl<T extends string = string> {
  type: T;
  description: string;
}

/** Every event type the modules declare, with what it means; a type declared twice is an error. */
export function declaredEvents(modules: readonly Module[]): Map<string, string> {
  const known = new Map<string, string>();
  for (const module of modules) {
    const events = isFamilyModule(module) ? module.family.events : (module.events ?? []);
    for (const { type, description } of events) {
      if (known.has(type)) throw new Error(`The event type ${type} is declared twice`);
      known.set(type, description);
    }
  }
  return known;
}

/**
 * Start-up refuses handlers and notices keyed on an event type no module declares (a misspelling,
 * an event renamed or gone): they would never run, silently.
 */
export function checkEventKeys(modules: readonly Module[]): void {
  const known = declaredEvents(modules);
  const unknown: string[] = [];
  for (const module of modules) {
    const name = isFamilyModule(module) ? module.family.singular : module.name;
    for (const type of Object.keys(module.handlers ?? {})) if (type !== '*' && !known.has(type)) unknown.push(`${name} handles ${type}`);
    for (const type of Object.keys(module.notices ?? {})) if (!known.has(type)) unknown.push(`${name} declares a notice of ${type}`);
  }
  if (unknown.length) throw new Error(`Unknown event types (no module declares them): ${unknown.join('; ')}`);
}
