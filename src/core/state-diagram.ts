import { STANDARD_EVENTS } from './event-types';
import type { FamilyDef } from './family';

/**
 * A family's state machine read from its declaration: the moves its actions declare (`from` → `to`)
 * and the moves no action makes (`states.moves`: time, another record, its own figures). What
 * `npm run docs:states` draws, and what a test walks to find states nothing reaches.
 */
export interface StateEdge {
  from: string;
  to: string;
  /** The action's name, or what makes a move no action makes. */
  label: string;
  by: 'action' | 'move';
}

export function stateEdges(def: FamilyDef): StateEdge[] {
  const machine = def.states;
  if (!machine) return [];
  const edges: StateEdge[] = [];
  for (const action of def.actions) {
    for (const from of action.from ?? machine.states) {
      for (const to of action.to ?? []) if (to !== from) edges.push({ from, to, label: action.name, by: 'action' });
    }
  }
  for (const move of machine.moves ?? []) {
    for (const from of move.from) edges.push({ from, to: move.to, label: move.when, by: 'move' });
  }
  return edges;
}

/** The states a new record can come to, from the initial one, by any declared move. */
export function reachableStates(def: FamilyDef): Set<string> {
  const machine = def.states;
  if (!machine) return new Set();
  const edges = stateEdges(def);
  const reached = new Set([machine.initial]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const edge of edges) {
      if (reached.has(edge.from) && !reached.has(edge.to)) {
        reached.add(edge.to);
        grew = true;
      }
    }
  }
  return reached;
}

/** Mermaid's state diagram ends a statement at `;` and takes `:` as the label's start. */
const label = (text: string) => text.replace(/[;:]/g, ',');

/** One family's machine as a Mermaid `stateDiagram-v2`; moves no action makes are labelled in parentheses. */
export function mermaidOf(def: FamilyDef): string {
  const machine = def.states;
  if (!machine) throw new Error(`${def.typeName} has no state machine`);
  const lines = ['stateDiagram-v2', `  [*] --> ${machine.initial}`];
  // One arrow per pair of states, naming every action (or move) that takes it, in declaration order.
  const arrows = new Map<string, string[]>();
  for (const edge of stateEdges(def)) {
    const key = `${edge.from} --> ${edge.to}`;
    arrows.set(key, [...(arrows.get(key) ?? []), edge.by === 'action' ? edge.label : `(${label(edge.label)})`]);
  }
  for (const [arrow, labels] of arrows) lines.push(`  ${arrow}: ${labels.join(', ')}`);
  return lines.join('\n');
}

/** docs/states.md: every family with a state machine, drawn and described from its declaration. */
export function statesDocument(families: readonly FamilyDef[]): string {
  const out = [
    '# State machines',
    '',
    '<!-- Generated from the family declarations by `npm run docs:states`; a test fails when it is stale. -->',
    '',
    "Each family with a state machine, from its declaration: the state a new record starts in, each action's",
    'moves (`from` → `to`, labelled with the action), and, in parentheses, the moves no action of the record',
    'makes: time (a status some reads compute as of now, written down later or never), another record, or',
    "the record's own figures. An action outside the drawing's arrows from a state is refused there (409).",
    '',
  ];
  for (const def of families.filter((f) => f.states)) {
    const machine = def.states!;
    out.push(`## ${def.typeName}`, '');
    if (def.description) out.push(def.description, '');
    out.push('```mermaid', mermaidOf(def), '```', '');
    out.push(`States (\`${machine.field}\`): ${machine.states.map((s) => `\`${s}\``).join(', ')}; a new record is \`${machine.initial}\`.`);
    if (def.frozenIn.length) out.push(`Final (read-only): ${def.frozenIn.map((s) => `\`${s}\``).join(', ')}.`);
    if (machine.note) out.push(machine.note);
    out.push('');
    for (const action of def.actions) {
      const from = action.from ? action.from.map((s) => `\`${s}\``).join(', ') : 'any state';
      const to = action.to ? ` → ${action.to.map((s) => `\`${s}\``).join(' or ')}` : ' (no move of its own)';
      out.push(`- \`${action.name}\`: ${from}${to}; event \`${action.event}\`.`);
    }
    for (const move of machine.moves ?? []) {
      out.push(`- (${move.when}): ${move.from.map((s) => `\`${s}\``).join(', ')} → \`${move.to}\`.`);
    }
    // The events it records itself (a ladder's moves), beyond its operations' and its actions'.
    const kits = new Set(STANDARD_EVENTS.map((what) => `${def.singular}.${what}`));
    const recorded = def.events.filter((e) => !kits.has(e.type) && !def.actions.some((a) => a.event === e.type));
    for (const event of recorded) out.push(`- Event \`${event.type}\`: ${event.description}`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
