import type { ActionDef, FamilyDef } from './family';

/*
 * What the surfaces say of a family's operations, said once here so REST and GraphQL say the same.
 */

type Operation = 'create' | 'update' | 'delete' | { action: string };

/**
 * What one operation of a family refuses while a record it depends on is final (the record itself,
 * its parent, or the record it counts in): a sentence, or '' when nothing freezes it.
 */
function frozenNote(def: FamilyDef, operation: Operation): string {
  const refused = (family: FamilyDef, whose: 'the' | 'its') => `Refused (409) while ${whose} ${family.singular} is ${family.frozenIn.join(' or ')}.`;
  if ((operation === 'update' || operation === 'delete') && def.frozenIn.length) return refused(def, 'the');
  const parent = def.parent?.family();
  if (parent?.frozenIn.length) return refused(parent, 'its');
  const countsIn = def.countsIn?.family();
  if (typeof operation === 'object' && countsIn?.frozenIn.length && def.countsIn!.actions.includes(operation.action)) return refused(countsIn, 'its');
  return '';
}

/** An operation's description on both surfaces: `text`, then what a final record refuses; '' when both are empty. */
export function describeOperation(def: FamilyDef, operation: Operation, text: string): string {
  const note = frozenNote(def, operation);
  if (!note || !text) return text || note;
  return `${/[.!?]$/.test(text) ? text : `${text}.`} ${note}`;
}

/** An action's description on both surfaces: what it does, the states it starts from and moves to, what freezes it. */
export function describeAction(def: FamilyDef, action: ActionDef): string {
  const from = action.from ? ` Allowed from: ${action.from.join(', ')}.` : '';
  const to = action.to ? ` Moves it to: ${action.to.join(' or ')}.` : '';
  return describeOperation(def, { action: action.name }, action.description + from + to);
}
