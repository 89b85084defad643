import { GraphQLFieldResolver, GraphQLObjectType, GraphQLSchema, isUnionType, Kind } from 'graphql';
import { BadRequestError, ValidationError } from '../shared/errors';
import { findUnsafeText } from '../core/input-text';

export const DEFAULT_MAX_ENTITIES = 500;

/**
 * `_entities` checks each representation before @apollo/subgraph sees it: its resolver throws out
 * of a synchronous map for an unknown `__typename` (nulling the whole list as an internal error),
 * and a missing `id` reached the loaders. A bad representation now fails alone, as a client error
 * at its own index, while the good ones of the same request resolve. The number per request is capped.
 * Only a type this subgraph resolves is looked up: one it merely names (`User`, `resolvable: false`)
 * would otherwise come back as the representation itself.
 */
export function guardEntities(schema: GraphQLSchema, maxEntities = DEFAULT_MAX_ENTITIES): void {
  const field = schema.getQueryType()?.getFields()._entities;
  const union = schema.getType('_Entity');
  if (!field?.resolve || !union || !isUnionType(union)) return;
  const entityTypes = new Set(union.getTypes().filter(resolvedHere).map((t) => t.name));
  const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve;

  const problemOf = (representation: unknown, index: number): ValidationError | null => {
    const at = `representations.${index}`;
    if (!representation || typeof representation !== 'object' || Array.isArray(representation)) {
      return ValidationError.field(at, 'must be an object with __typename and id');
    }
    const unsafe = findUnsafeText(representation, [at]);
    if (unsafe) return new ValidationError([unsafe]);
    const { __typename: typename, id } = representation as Record<string, unknown>;
    if (typeof typename !== 'string' || !typename) return ValidationError.field(`${at}.__typename`, 'is required');
    if (!entityTypes.has(typename)) return ValidationError.field(`${at}.__typename`, 'is not an entity type of this subgraph');
    if (typeof id !== 'string' || !id) return ValidationError.field(`${at}.id`, id == null ? 'is required' : 'must be a non-empty string');
    if (id.length > 100) return ValidationError.field(`${at}.id`, 'is too long');
    return null;
  };

  field.resolve = async (source, args, context, info) => {
    const representations: unknown = args.representations;
    if (!Array.isArray(representations)) throw new BadRequestError('representations must be a list');
    if (representations.length > maxEntities) {
      throw new BadRequestError(`At most ${maxEntities} representations per request (got ${representations.length})`);
    }
    const problems = representations.map(problemOf);
    const valid = representations.filter((_, i) => !problems[i]);
    const results = valid.length ? ((await resolve(source, { ...args, representations: valid }, context, info)) as unknown[]) : [];
    let next = 0;
    // An Error in a list is that item's error; graphql-js reports it at `_entities.<index>`.
    return representations.map((_, i) => problems[i] ?? results[next++]);
  };
}

/** What @apollo/subgraph keeps of a type's `__resolveReference`. */
const referenceResolverOf = (type: GraphQLObjectType): unknown =>
  (type.extensions as { apollo?: { subgraph?: { resolveReference?: unknown } } }).apollo?.subgraph?.resolveReference;

/**
 * Whether `_entities` resolves the type here: it has a reference resolver. An entity with a
 * resolvable key and none is a mistake of the composition, refused as the schema is made.
 */
function resolvedHere(type: GraphQLObjectType): boolean {
  if (referenceResolverOf(type)) return true;
  const keys = [type.astNode, ...(type.extensionASTNodes ?? [])].flatMap((n) => n?.directives ?? []).filter((d) => d.name.value === 'key');
  const resolvable = keys.some(
    (key) => !key.arguments?.some((a) => a.name.value === 'resolvable' && a.value.kind === Kind.BOOLEAN && !a.value.value),
  );
  if (resolvable) throw new Error(`${type.name} has a resolvable @key but no __resolveReference: declare how it is found by id, or mark the key resolvable: false`);
  return false;
}
