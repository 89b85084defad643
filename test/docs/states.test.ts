import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderStates } from '../../src/cli/docs-states';
import { defineFamily } from '../../src/core/family';
import { isFamilyModule } from '../../src/core/module';
import { reachableStates } from '../../src/core/state-diagram';
import { TenantEntity } from '../../src/db/base-entity';
import { MODULES } from '../../src/modules';

/** docs/states.md is drawn from the declarations, and every declared state can be reached. */
const machines = MODULES.filter(isFamilyModule)
  .map((m) => m.family)
  .filter((f) => f.states);

test('docs/states.md is what `npm run docs:states` draws from the declarations now', () => {
  const committed = readFileSync(join(__dirname, '..', '..', 'docs', 'states.md'), 'utf8');
  const drawn = renderStates();
  if (committed !== drawn) throw new Error('docs/states.md is stale: run npm run docs:states and commit the result');
  for (const family of machines) expect(drawn).toContain(`## ${family.typeName}\n`);
  expect(drawn.match(/```mermaid\nstateDiagram-v2\n/g)).toHaveLength(machines.length);
});

test('every state of every family is reachable from its initial state by its actions and declared moves', () => {
  expect(machines.length).toBeGreaterThan(5);
  const unreachable = machines.flatMap((f) => f.states!.states.filter((s) => !reachableStates(f).has(s)).map((s) => `${f.typeName}.${s}`));
  expect(unreachable).toEqual([]);
});

test('the reachability check can fail: a state no action or move leads to is found', () => {
  class Lonely extends TenantEntity {}
  const family = defineFamily({
    entity: Lonely,
    resource: 'task',
    singular: 'lonely',
    plural: 'lonelies',
    fields: {},
    filters: {},
    order: () => {},
    states: { field: 'status', states: ['open', 'shut', 'lost'] as const, initial: 'open', moves: [{ from: ['shut'], to: 'open', when: 'time' }] },
    actions: { shut: { permission: 'edit', description: 'Shut it.', from: ['open'], to: 'shut', run: async () => {} } },
  });
  expect([...reachableStates(family)].sort()).toEqual(['open', 'shut']);
});
