import { DocumentNode, execute, print, ExecutionResult, getVariableValues, GraphQLError, GraphQLSchema } from 'graphql';
import { compileQuery, CompiledQuery, isCompiledQuery } from 'graphql-jit';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import type { RequestContext } from '../auth/request-context';
import type { Requirement } from '../permissions/catalog';
import { operationLeafRules } from './rules';
import type { BaseSchema } from './schema';

interface Prepared {
  /** The rules of every leaf the operation can read; null when the document has no such operation. */
  leafRules: (Requirement | undefined)[] | null;
  /** It asks for federation's `_entities`. */
  entities: boolean;
  /** The operation compiled for each schema, made when first run on it (or why not: an ExecutionResult). */
  compiled: Map<GraphQLSchema, CompiledQuery | ExecutionResult>;
}

/**
 * How Apollo Server executes Base's operations (its gateway hook, the documented way to bring an
 * executor of one's own; the schema is Base's own and never changes, and Apollo still parses,
 * validates, caches documents and runs every plugin around it).
 *
 * Every leaf rule depends on the caller only, never on the row. So before an operation runs, the
 * rules of all the leaves it can read are checked once against the caller: when they all hold, it
 * runs on the schema whose leaves carry no check (`leafChecked`; shield still guards every root and
 * every field leading to records); when any does not, it runs on the fully guarded schema, where each
 * refused leaf fails on each row with its FORBIDDEN error, exactly as before. Either way the answer
 * is the same; the first way skips a guard per field per row.
 *
 * An operation whose leaves are all allowed is compiled once per document (graphql-jit: the walk over
 * the selection becomes plain code, a leaf without a resolver a property read) and the compiled form
 * runs each time; everything else (refused leaves, `_entities`, variables that do not fit, a document
 * it cannot compile) runs on graphql-js.
 */
export function baseExecutor(schema: BaseSchema): GatewayInterface {
  // Per document and operation name: Apollo keeps one parsed document per query text.
  const prepared = new WeakMap<DocumentNode, Map<string, Prepared>>();
  const prepare = (document: DocumentNode, operationName: string | undefined): Prepared => {
    let byOperation = prepared.get(document);
    if (!byOperation) prepared.set(document, (byOperation = new Map()));
    const key = operationName ?? '';
    let entry = byOperation.get(key);
    if (!entry) {
      entry = {
        leafRules: operationLeafRules(schema.schema, schema.leaves, document, operationName),
        entities: /\b_entities\b/.test(print(document)),
        compiled: new Map(),
      };
      byOperation.set(key, entry);
    }
    return entry;
  };

  return {
    async load() {
      return {
        schema: schema.schema,
        executor: async (request) => {
          const ctx = request.context as unknown as RequestContext;
          const { document } = request;
          const { operationName, variables } = request.request;
          const entry = prepare(document, operationName);
          const allowed = entry.leafRules !== null && entry.leafRules.every((rule) => rule !== undefined && ctx.allows(rule));
          const target = allowed ? schema.leafChecked : schema.schema;
          let compiled = entry.compiled.get(target);
          if (!compiled) {
            // graphql-jit only where it answers as graphql-js does: all leaves allowed (no per-row
            // refusals) and no `_entities` (it leaves out a failed item of a list instead of a null).
            compiled = allowed && !entry.entities ? compileQuery(target, document, operationName ?? undefined) : { errors: [] };
            entry.compiled.set(target, compiled);
          }
          // Variables that do not fit their declarations, and a document it could not compile, are
          // graphql-js's to refuse, in its words.
          const fits = isCompiledQuery(compiled) && request.operation && !getVariableValues(target, request.operation.variableDefinitions ?? [], variables ?? {}, { maxErrors: 1 }).errors;
          if (!fits || !isCompiledQuery(compiled)) return (await execute({ schema: target, document, contextValue: ctx, variableValues: variables, operationName })) as never;
          const result = await compiled.query(undefined, ctx, variables ?? {});
          return (result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result) as never;
        },
      };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema.schema, coreSupergraphSdl: schema.sdl });
      return () => undefined;
    },
    async stop() {},
  };
}

/**
 * graphql-jit's errors are its own kind of GraphQLError (no `extensions` object, which Apollo reads):
 * made graphql-js's again, with the same message, path, locations and the resolver's own error, so
 * Apollo and formatGraphQLError read them as they read graphql-js's.
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  if (error.constructor === GraphQLError) return error;
  const converted = new GraphQLError(error.message, { path: error.path, originalError: error.originalError ?? undefined, extensions: error.extensions });
  if (error.locations) (converted as { locations?: unknown }).locations = error.locations;
  return converted;
}
