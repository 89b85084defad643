import { getMetadataArgsStorage } from 'typeorm';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import type { ClassType } from '../db/class-type';
import { buildResolver, MemberDef } from './resolvers';
import { registerKeyedField } from './selection';

/**
 * People across the supergraph. Base keeps a person as the Auth user id (token `sub`) in text fields
 * (`createdBy`, `assigneeId`, …); beside each such field the type has one returning a `User` entity
 * that Base only names by id (`resolvable: false`), so another subgraph (Auth, people) adds the name
 * and avatar through the router. The text fields stay, for REST and for clients without a router.
 */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('User', {
  description:
    'A person, by their Auth user id (token `sub`). Base knows only the id; a subgraph of people adds their name and avatar through the router.',
})
export class UserRef {
  @Field(() => ID, { description: 'The Auth user id (token `sub`).' })
  id: string;
}

/** A text property holding a user id (`assigneeId`) → the GraphQL field that gives that user (`assignee`). */
export type UserFields = Record<string, string>;

/** Every stored record's creator: `createdBy` → `createdByUser`. */
export const CREATOR: UserFields = { createdBy: 'createdByUser' };

/** Whether the property's column may be null, from the entity's own column declaration (and its ancestors'). */
function columnNullable(entity: ClassType, property: string): boolean {
  const lineage: unknown[] = [];
  for (let c: unknown = entity; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) lineage.push(c);
  const column = getMetadataArgsStorage().columns.find((c) => lineage.includes(c.target) && c.propertyName === property);
  if (!column) throw new Error(`${entity.name}.${property} is no column: it cannot name a user`);
  return Boolean(column.options.nullable);
}

/**
 * The `User` fields of a type, one per property holding a user id: null where the property is. Each
 * reads only its own property (what a list reads of its rows knows it: see selection.ts), and the
 * permission is the type's own, as for the property beside it.
 */
export function userFieldsResolver(entity: ClassType, typeName: string, fields: UserFields): ClassType {
  // type-graphql keeps its metadata globally: one resolver per type, however often it is asked for.
  const made = resolvers.get(entity);
  if (made) {
    if (JSON.stringify(made.fields) !== JSON.stringify(fields)) throw new Error(`${typeName}: its User fields are declared twice, differently`);
    return made.resolver;
  }
  const members: MemberDef[] = Object.entries(fields).map(([property, field]) => {
    registerKeyedField(entity, field, property);
    return {
      kind: 'field',
      name: field,
      returns: () => UserRef,
      nullable: columnNullable(entity, property),
      description:
        property === 'createdBy'
          ? 'The user who created the record (`createdBy`), as a User entity other subgraphs add to.'
          : `The user \`${property}\` names, as a User entity other subgraphs add to.`,
      args: [],
      resolve: (row: Record<string, unknown>) => {
        const id = row[property];
        return typeof id === 'string' && id ? { id } : null;
      },
    };
  });
  const resolver = buildResolver(`${typeName}UserFieldsResolver`, () => entity, members);
  resolvers.set(entity, { fields, resolver });
  return resolver;
}

const resolvers = new Map<ClassType, { fields: UserFields; resolver: ClassType }>();
