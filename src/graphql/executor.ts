import { DocumentNode, execute, ExecutionResult } from 'graphql';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import type { RequestContext } from '../auth/request-context';
import type { Requirement } from '../permissions/catalog';
import { operationLeafRules } from './rules';
import type { BaseSchema } from './schema';

/**
 * How Apollo Server executes Base's operations (its gateway hook, the documented way to bring an
 * executor of one's own; the schema is Base's own, never changes, and Apollo still parses, validates,
 * caches documents and runs every plugin around it).
 *
 * Every leaf rule depends on the caller only, never on the row. So before an operation runs, the
 * rules of all the leaves it can read are checked once against the caller: when they all hold, it
 * runs on the schema whose leaves carry no check (`leafChecked`; shield still guards every root and
 * every field leading to records); when any does not, it runs on the fully guarded schema, where each
 * refused leaf fails on each row with its FORBIDDEN error, exactly as before. Either way the answer
 * is the same; the first way skips a guard per field per row.
 */
export function baseExecutor(schema: BaseSchema): GatewayInterface {
  // The rules an operation's leaves need, per document (Apollo keeps one parsed document per query text).
  const leafRulesOf = new WeakMap<DocumentNode, Map<string, (Requirement | undefined)[] | null>>();
  const rulesOf = (document: DocumentNode, operationName: string | undefined): (Requirement | undefined)[] | null => {
    let byOperation = leafRulesOf.get(document);
    if (!byOperation) leafRulesOf.set(document, (byOperation = new Map()));
    const key = operationName ?? '';
    if (!byOperation.has(key)) byOperation.set(key, operationLeafRules(schema.schema, schema.leaves, document, operationName));
    return byOperation.get(key)!;
  };

  return {
    async load() {
      return {
        schema: schema.schema,
        executor: async (request) => {
          const ctx = request.context as unknown as RequestContext;
          const rules = rulesOf(request.document, request.operationName ?? request.request.operationName);
          const allowed = rules !== null && rules.every((rule) => rule !== undefined && ctx.satisfies(rule));
          return (await execute({
            schema: allowed ? schema.leafChecked : schema.schema,
            document: request.document,
            contextValue: ctx,
            variableValues: request.request.variables,
            operationName: request.request.operationName,
          })) as ExecutionResult as never;
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
