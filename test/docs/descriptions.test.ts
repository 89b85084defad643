import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  GraphQLNamedType,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
} from 'graphql';

/**
 * Every element of the executable schema clients read (schema/api.graphql, which schema.test.ts holds
 * to the live one) has a description: types, fields, arguments, input fields and enum values.
 *
 * Two kinds are told apart. What the kit makes (root fields, their arguments, pages, filters, input
 * types, enum values, the User stub, the federation plumbing) must be described, always. What a
 * declaration spells out field by field (a record's fields, its inputs' fields, a value object, an
 * endpoint's answer) is described by that declaration; until every one is, those are counted and
 * may not grow in number, and the strict check waits (skipped, with the count in its title).
 */
const SCHEMA = buildSchema(readFileSync(join(__dirname, '..', '..', 'schema', 'api.graphql'), 'utf8'));

interface Undescribed {
  /** `Type`, `Type.field`, `Type.field(arg)` or `Enum.VALUE`. */
  coordinate: string;
  /** Made by the kit (always described) or spelled out by a declaration. */
  declared: boolean;
}

const ROOTS = new Set(['Query', 'Mutation']);
/** Object types the kit makes whole. */
const isKitObject = (type: GraphQLNamedType) =>
  ROOTS.has(type.name) || type.name.endsWith('Page') || ['PageInfo', 'User', 'HistoryEntry', '_Service'].includes(type.name);
/** Arguments the kit gives root fields; any other comes from a declared input (a query's parameters). */
const KIT_ARGUMENTS = new Set(['id', 'filter', 'page', 'limit', 'after', 'input', 'version', 'file', 'representations']);

function undescribed(schema: GraphQLSchema): Undescribed[] {
  /** The input type of a value object (`AddressInput` beside `Address`): declared with it, field by field. */
  const isValueInput = (type: GraphQLNamedType) => type.name.endsWith('Input') && isObjectType(schema.getType(type.name.slice(0, -'Input'.length)));
  const found: Undescribed[] = [];
  const add = (coordinate: string, declared: boolean) => found.push({ coordinate, declared });
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    const declaredType = (isObjectType(type) && !isKitObject(type)) || (isInputObjectType(type) && isValueInput(type));
    if (!type.description) add(type.name, declaredType);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        // A field with arguments is the kit's (a relation, a history); one without is the type's own.
        if (!field.description) add(`${type.name}.${field.name}`, !isKitObject(type) && field.args.length === 0);
        for (const arg of field.args) {
          if (!arg.description) add(`${type.name}.${field.name}(${arg.name})`, type.name === 'Query' && !KIT_ARGUMENTS.has(arg.name));
        }
      }
    }
    if (isInputObjectType(type)) {
      const filter = type.name.endsWith('Filter');
      for (const field of Object.values(type.getFields())) {
        if (!field.description) add(`${type.name}.${field.name}`, !filter && field.name !== 'version');
      }
    }
    if (isEnumType(type)) {
      for (const value of type.getValues()) if (!value.description) add(`${type.name}.${value.name}`, false);
    }
  }
  return found;
}

const ALL = undescribed(SCHEMA);
const KIT = ALL.filter((u) => !u.declared).map((u) => u.coordinate);
const DECLARED = ALL.filter((u) => u.declared).map((u) => u.coordinate);

test('every element the kit makes is described: root fields and their arguments, pages, filters, inputs, enum values, scalars', () => {
  expect(KIT).toEqual([]);
});

test('every declared field, input field, value type and query parameter is described', () => {
  expect(DECLARED).toEqual([]);
});

test('the walk sees every kind of element, and tells what the kit makes from what a declaration spells out', () => {
  // A walk that missed a kind would pass whatever the schema says.
  const probe = buildSchema(`
    "q" type Query { "f" things(page: Int, near: String): ThingPage  "g" other(id: ID): Int }
    "p" type ThingPage { items: [Thing] }
    type Thing { id: ID  "r" related(page: Int): Int }
    type Spot { x: Int }
    input SpotInput { x: Int }
    input ThingCreateInput { "x" x: Int }
    "e" enum State { "a" A B }
    input ThingFilter { "x" x: Int y: Int }
    scalar Stamp
  `);
  expect(undescribed(probe)).toEqual([
    { coordinate: 'Query.things(page)', declared: false },
    { coordinate: 'Query.things(near)', declared: true },
    { coordinate: 'Query.other(id)', declared: false },
    { coordinate: 'ThingPage.items', declared: false },
    { coordinate: 'Thing', declared: true },
    { coordinate: 'Thing.id', declared: true },
    { coordinate: 'Thing.related(page)', declared: false },
    { coordinate: 'Spot', declared: true },
    { coordinate: 'Spot.x', declared: true },
    { coordinate: 'SpotInput', declared: true },
    { coordinate: 'SpotInput.x', declared: true },
    { coordinate: 'ThingCreateInput', declared: false },
    { coordinate: 'State.B', declared: false },
    { coordinate: 'ThingFilter', declared: false },
    { coordinate: 'ThingFilter.y', declared: false },
    { coordinate: 'Stamp', declared: false },
  ]);
});
