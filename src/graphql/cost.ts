import { LIMIT_MAX } from '../core/listing';
import type { ListSize } from '../core/list-size';
import {
  DocumentNode,
  GraphQLError,
  GraphQLField,
  GraphQLSchema,
  getNamedType,
  getNullableType,
  isLeafType,
  isListType,
  isObjectType,
  OperationDefinitionNode,
  getVariableValues,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
// graphql-query-complexity (not graphql-armor's cost-limit): its estimators see each field's
// arguments with the request's variables and the schema defaults applied, so a page can cost its
// `limit` times its children. graphql-armor's cost-limit has only fixed object/scalar costs and a
// depth factor, and runs as a validation rule, which never sees the variables.
import { ComplexityEstimator, getComplexity } from 'graphql-query-complexity';

/** The most nodes (fields and fragment uses, fragments counted each time they are spread) one cost walk visits. */
const MAX_COST_NODES = 10_000;

/**
 * How many times a field's children run: a paged field (`agencies`, `Agency.artists`, `history`, …)
 * its `limit` (the schema default when not given or null), `_entities` its number of
 * representations, an unpaged list (`Event.lineup`, `ladder`) the most items it declares
 * (`maxItems`). Everything else once: a page's `items` is already counted by its page field.
 */
function multiplierOf(field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): number {
  if (field.name === '_entities') return Array.isArray(args.representations) ? args.representations.length : 1;
  const limitArg = field.args.find((a) => a.name === 'limit');
  if (!limitArg) return (field.extensions as ListSize).maxItems ?? 1;
  const limit = typeof args.limit === 'number' ? args.limit : typeof limitArg.defaultValue === 'number' ? limitArg.defaultValue : 1;
  // A limit outside 1..LIMIT_MAX is refused by the field itself with an error naming `limit`: its
  // children never run, so they cost nothing, and that error is the one the caller sees.
  return limit >= 1 && limit <= LIMIT_MAX ? limit : 0;
}

/**
 * The list fields of objects whose size the cost cannot know: neither paged (`limit`) nor declared
 * (`maxItems`, or a page's `items`). Lists of scalars cost nothing more per item than the field itself.
 */
export function unboundedLists(schema: GraphQLSchema): string[] {
  const found: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!isListType(getNullableType(field.type)) || isLeafType(getNamedType(field.type)) || field.name === '_entities') continue;
      const size = field.extensions as ListSize;
      if (field.args.some((a) => a.name === 'limit') || size.pageItems || typeof size.maxItems === 'number') continue;
      found.push(`${type.name}.${field.name}`);
    }
  }
  return found;
}

/** Each field costs 1, plus its children's cost times how many times they run. */
const pagedCost: ComplexityEstimator = ({ field, args, childComplexity }) => 1 + multiplierOf(field, args) * childComplexity;

/**
 * The cost of the operation a request will run: roughly how many field values its answer can hold
 * at most. Throws a GraphQLError when it cannot be computed (a walk over MAX_COST_NODES nodes, an
 * argument the variables make invalid).
 */
export function operationCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>, operationName?: string): number {
  return getComplexity({ schema, query: document, variables, operationName, estimators: [pagedCost], maxQueryNodes: MAX_COST_NODES });
}

/** Variable sets whose cost is kept per document. */
const KNOWN_VARIABLE_SETS = 32;

/** The refusal: a validation error (400) with the computed cost and the limit, like the depth and alias limits. */
function costRefusal(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', ...extensions, http: { status: 400 } } });
}

/**
 * Refuses an operation whose cost is over `maxCost` before anything runs. An Apollo plugin rather
 * than a validation rule: Apollo caches validation per document, and the cost depends on the
 * variables (`$limit`). Variables that do not fit their declarations are left to Apollo, which
 * refuses them (BAD_USER_INPUT) before executing anything too.
 */
export function costLimitPlugin<TContext extends object>(maxCost: number): ApolloServerPlugin<TContext> {
  // The cost of a document with given variables never changes: kept per document (Apollo keeps one
  // parsed document per query text) for the last few variable sets, so a repeated request walks nothing.
  const known = new WeakMap<DocumentNode, Map<string, number>>();
  const costOf = (schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>, operationName?: string): number => {
    let byVariables = known.get(document);
    if (!byVariables) known.set(document, (byVariables = new Map()));
    const key = `${operationName ?? ''}\u0000${JSON.stringify(variables)}`;
    let cost = byVariables.get(key);
    if (cost === undefined) {
      cost = operationCost(schema, document, variables, operationName);
      if (byVariables.size >= KNOWN_VARIABLE_SETS) byVariables.clear();
      byVariables.set(key, cost);
    }
    return cost;
  };
  return {
    // A list the cost cannot price is a declaration missing: the service does not start without it.
    async serverWillStart({ schema }) {
      const unbounded = unboundedLists(schema);
      if (unbounded.length) throw new Error(`List fields without a declared size (maxItems) or paging: ${unbounded.join(', ')}`);
    },
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return; // Apollo has refused the request already
          const variables = request.variables ?? {};
          if (!variablesFit(schema, operation, variables)) return;
          let cost: number;
          try {
            cost = costOf(schema, document, variables, operation.name?.value);
          } catch (err) {
            throw costRefusal(err instanceof GraphQLError ? err.message : 'The query cost could not be computed.', { maxCost });
          }
          if (cost > maxCost) {
            throw costRefusal(`Query cost limit of ${maxCost} exceeded: this query costs ${cost}. Ask for smaller pages (limit) or fewer nested lists.`, {
              cost,
              maxCost,
            });
          }
        },
      };
    },
  };
}

function variablesFit(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Record<string, unknown>): boolean {
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 1 });
  return !coerced.errors;
}

