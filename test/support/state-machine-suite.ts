import type { FamilyDef } from '../../src/core/family';
import type { Caller, TestBase } from './harness';

/**
 * The state-machine suite any family plugs its machine into: every (state, action) pair through both
 * surfaces — an allowed move succeeds and is in the history, any other is a 409 naming the current
 * state and the states that allow it, and changes nothing — and two concurrent moves of one record
 * have exactly one winner.
 */
export interface MachineSpec {
  base: TestBase;
  family: FamilyDef;
  /** A member who may run every action. */
  caller(): Promise<Caller>;
  /** A new record in `state`, made through the public surfaces, for `action` when it is known; its id. */
  reach(actor: Caller, state: string, action?: string): Promise<string>;
  /** The REST path of a record. */
  path(id: string): string;
  /** The input an action needs (REST body and GraphQL input alike). */
  input?(action: string): Record<string, unknown> | undefined;
  /** Actions this suite leaves alone (ones that fail by design). */
  skip?: string[];
}

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function stateMachineSuite(spec: MachineSpec): void {
  const { family } = spec;
  const machine = family.states!;
  const actions = family.actions.filter((a) => !(spec.skip ?? []).includes(a.name));
  const stateField = machine.field;

  const read = async (actor: Caller, id: string) => {
    const res = await spec.base.rest('GET', spec.path(id), { as: actor });
    expect(res.status).toBe(200);
    return res.body.data as Record<string, unknown>;
  };

  const run = async (surface: 'REST' | 'GraphQL', actor: Caller, action: (typeof actions)[number], id: string) => {
    const input = spec.input?.(action.name);
    if (surface === 'REST') {
      const res = await spec.base.rest('POST', `${spec.path(id)}/${action.name}`, { as: actor, body: input ?? {} });
      return { ok: res.status === 200, status: res.status, code: res.body?.error?.code, message: (res.body?.error?.message as string) ?? '' };
    }
    const inputType = `${family.typeName}${pascal(action.name)}Input`;
    const field = `${action.name}${family.typeName}`;
    const query = action.inputType
      ? `mutation($id: ID!, $input: ${inputType}!) { ${field}(id: $id, input: $input) { id version } }`
      : `mutation($id: ID!) { ${field}(id: $id) { id version } }`;
    const res = await spec.base.gql(query, { id, input }, { as: actor });
    const error = res.body.errors?.[0];
    return { ok: !error && res.status === 200, status: error ? 409 : 200, code: error?.extensions?.code, message: error?.message ?? '' };
  };

  describe(`${family.typeName} state machine`, () => {
    for (const state of machine.states) {
      for (const action of actions) {
        const allowed = !action.from || action.from.includes(state);
        for (const surface of ['REST', 'GraphQL'] as const) {
          test(`${surface}: ${action.name} from ${state} ${allowed ? 'moves it and is in the history' : 'is 409 naming both, nothing changes'}`, async () => {
            const actor = await spec.caller();
            const id = await spec.reach(actor, state, action.name);
            const before = await read(actor, id);
            expect(before[stateField]).toBe(state);
            const result = await run(surface, actor, action, id);
            const after = await read(actor, id);
            if (allowed) {
              expect({ ok: result.ok, message: result.message }).toEqual({ ok: true, message: '' });
              expect(after.version).toBe((before.version as number) + 1);
              const history = await spec.base.rest('GET', `${spec.path(id)}/history?limit=1`, { as: actor });
              // It ends where it declares it moves to (or, without `to`, where it was or a declared move takes it).
              if (action.to) expect(action.to).toContain(after[stateField]);
              expect(history.body.data[0]).toMatchObject({
                type: action.event,
                actorId: actor.userId,
                version: after.version,
                payload: { from: state, to: after[stateField] },
              });
            } else {
              expect([result.status, result.code]).toEqual([409, 'CONFLICT']);
              expect(result.message).toContain(`is ${state}`);
              for (const from of action.from ?? []) expect(result.message).toContain(from);
              expect(after).toEqual(before);
            }
          });
        }
      }
    }

    test('two concurrent moves of one record: exactly one wins, the other is 409', async () => {
      const actor = await spec.caller();
      // An action whose move leaves the states it starts from, so the second cannot follow the first.
      let chosen: { action: (typeof actions)[number]; from: string } | undefined;
      for (const action of actions) {
        for (const from of action.from ?? []) {
          const probe = await spec.reach(actor, from);
          if ((await run('REST', actor, action, probe)).ok && !action.from!.includes(String((await read(actor, probe))[stateField]))) {
            chosen = { action, from };
            break;
          }
        }
        if (chosen) break;
      }
      expect(chosen).toBeDefined();
      for (let round = 0; round < 3; round++) {
        const id = await spec.reach(actor, chosen!.from);
        const results = await Promise.all([1, 2, 3, 4].map(() => run('REST', actor, chosen!.action, id)));
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        expect(results.filter((r) => !r.ok).map((r) => r.code)).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT']);
        const history = await spec.base.rest('GET', `${spec.path(id)}/history`, { as: actor });
        expect(history.body.data.filter((e: { type: string }) => e.type === chosen!.action.event)).toHaveLength(1);
      }
    });
  });
}
