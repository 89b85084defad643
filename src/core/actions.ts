import type { z } from 'zod';
import type { TenantEntity } from '../db/base-entity';
import type { ClassType } from '../db/class-type';
import type { TenantScope } from '../db/tenant-scope';
import { Action, Permission, permission, Resource } from '../permissions/catalog';
import { type EventDecl, pastParticiple, type PastParticiple, STANDARD_EVENTS } from './event-types';
import { buildInputType, FieldMap, objectSchema, parseWith } from './fields';

/**
 * A family's state machine and actions, as declared (`defineFamily`'s `states` and `actions`) and as
 * the kit uses them: each action's permission, the states it starts from and moves to, its event, its
 * input and its work; and the family's event types, from its operations, actions and own `events`.
 */
export interface ActionSpec<E extends TenantEntity, R extends Resource, S extends string> {
  /** The catalog action of this family's resource that the caller needs. */
  permission: Action<R>;
  description: string;
  /** The states it may start from; from any other the answer is 409 naming both. Absent: any. */
  from?: readonly S[];
  /**
   * The state it moves the record to: the kit writes it (run() leaves the state alone). Several:
   * run() returns which one in the state field (a resumed tier is on sale, or sold out when nothing
   * is left). Absent: the record stays in its state, unless one of the machine's `moves` takes it.
   */
  to?: S | readonly S[];
  /**
   * Its event, after `<family>.`: a past participle (`sales-opened`). Default: the action's name
   * made one (`approve` → `approved`, see IRREGULAR_PARTICIPLES).
   */
  event?: string;
  /** The REST method of `…/{id}/<action>`; default POST (PUT where legacy callers know it so). */
  method?: 'POST' | 'PUT';
  /** Its input, validated like fields (per-field details); absent: none. */
  input?: FieldMap;
  /**
   * The work, inside the action's transaction, on the record locked `FOR UPDATE`. Returns the
   * changes to write to the record (its new state); other records it changes go through `tx`.
   */
  run(record: E, input: Record<string, unknown>, tx: TenantScope): Promise<Partial<E> | void>;
  /** More facts for the action's event (who it affects, for notifications), from the record after the move. */
  payload?(record: E, tx: TenantScope): Promise<Record<string, unknown>>;
}

export interface StateMachine<S extends string> {
  /** The property that holds the state. */
  field: string;
  states: readonly S[];
  /** The state a new record starts in. */
  initial: S;
  /**
   * Moves no action of the record makes: time (a hold past its expiry), another record (a hold
   * challenged by the one below it), or its own figures (a tier with nothing left is sold out).
   * They are drawn with the actions' moves (`npm run docs:states`); an action without `to` may end
   * in one of them.
   */
  moves?: readonly StateMove<S>[];
  /** What else a reader of the drawing needs, in a sentence (what reads compute besides the state). */
  note?: string;
}

export interface StateMove<S extends string = string> {
  from: readonly S[];
  to: S;
  /** What makes it, in a few words (`expiresAt passed`). */
  when: string;
}

/**
 * A family's actions by name. `A` is only for the types: action name → the `event` it names
 * (`unknown` when it names none), so the family's event types can be spelled out.
 */
export type ActionSpecs<E extends TenantEntity, R extends Resource, S extends string, A> = {
  [K in keyof A]: ActionSpec<E, R, S> & { event?: A[K] };
};

/** The events of a family's actions, after `<family>.`: the `event` each names, or its name made a past participle. */
export type ActionEvents<A> = {
  [K in keyof A & string]: A[K] extends string ? (string extends A[K] ? PastParticiple<K> : A[K]) : PastParticiple<K>;
}[keyof A & string];

export interface ActionDef<E extends TenantEntity = TenantEntity> {
  name: string;
  description: string;
  permission: Permission;
  from?: readonly string[];
  /** The states it may end in: one, which the kit writes; several, of which run() returns one. */
  to?: readonly string[];
  /** Its event type, `<family>.<past participle>`. */
  event: string;
  method: 'POST' | 'PUT';
  /** The fields of its input (none: `{}`). */
  input: FieldMap;
  inputSchema: z.ZodType;
  /** The GraphQL input type, when the action takes input. */
  inputType?: ClassType;
  parseInput(input: unknown): Record<string, unknown>;
  run(record: E, input: Record<string, unknown>, tx: TenantScope): Promise<Partial<E> | void>;
  payload?(record: E, tx: TenantScope): Promise<Record<string, unknown>>;
}

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The actions of a family, checked against its machine: every state they and its moves name exists. */
export function defineActions<E extends TenantEntity, R extends Resource, S extends string>(
  typeName: string,
  singular: string,
  resource: R,
  states: StateMachine<S> | undefined,
  specs: Record<string, ActionSpec<E, R, S>>,
): ActionDef<E>[] {
  const unknownStates = (where: string, named: readonly string[]) => {
    const unknown = named.filter((s) => !(states?.states as readonly string[] | undefined)?.includes(s));
    if (unknown.length) throw new Error(`${where}: unknown states ${unknown.join(', ')}`);
  };
  for (const [i, move] of (states?.moves ?? []).entries()) unknownStates(`${typeName}.states.moves[${i}]`, [...move.from, move.to]);
  return Object.entries(specs).map(([name, spec]) => {
    const to = spec.to === undefined ? undefined : typeof spec.to === 'string' ? [spec.to] : [...(spec.to as readonly S[])];
    if (states && spec.from) unknownStates(`${typeName}.${name}`, spec.from);
    if (to && !states) throw new Error(`${typeName}.${name}: \`to\` needs states`);
    if (to) unknownStates(`${typeName}.${name}`, to);
    const fields = spec.input ?? {};
    const schema = objectSchema(fields, 'create');
    return {
      name,
      description: spec.description,
      permission: permission(resource, spec.permission),
      from: spec.from,
      to,
      event: `${singular}.${spec.event ?? pastParticiple(name)}`,
      method: spec.method ?? 'POST',
      input: fields,
      inputSchema: schema,
      inputType: Object.keys(fields).length ? buildInputType(`${typeName}${pascal(name)}Input`, fields, 'create') : undefined,
      parseInput: (input) => parseWith(schema, input ?? {}) as Record<string, unknown>,
      run: spec.run,
      payload: spec.payload,
    };
  });
}

/** Every event type a family records: the kit's for its operations, its actions', its own; each once. */
export function familyEvents(typeName: string, singular: string, actions: readonly ActionDef[], own: Record<string, string>): EventDecl[] {
  const events: EventDecl[] = [
    ...STANDARD_EVENTS.map((what) => ({ type: `${singular}.${what}`, description: `A ${typeName} was ${what}.` })),
    ...actions.map((action) => ({ type: action.event, description: action.description })),
    ...Object.entries(own).map(([what, description]) => ({ type: `${singular}.${what}`, description })),
  ];
  const twice = events.filter((e, i) => events.findIndex((other) => other.type === e.type) !== i).map((e) => e.type);
  if (twice.length) throw new Error(`${typeName}: the event types ${twice.join(', ')} are declared twice`);
  return events;
}
