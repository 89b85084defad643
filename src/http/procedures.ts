import { ID } from 'type-graphql';
import type { ProcedureDef } from '../core/procedure';
import type { ErrorCode } from '../core/errors';
import { parsePaging } from '../core/listing';
import { noContent, paged, RouteDef, RouteTag, withoutPaging } from './rest';
import { fieldParams, headline, pascal, PAGING_PARAMS } from './route-docs';

/**
 * The REST side of a module's procedure: GET reads the input from the query string, the other methods
 * from the JSON body; the answer is `{ data }` (or a page, or 204 for nothing), without the parts the
 * caller may not see.
 */
export function procedureRoute(procedure: ProcedureDef, tag: RouteTag): RouteDef {
  const { method, path, status = 200 } = procedure.rest;
  const fromQuery = method === 'GET' || method === 'DELETE';
  const record = procedure.returns().name;
  const ownFields = Object.fromEntries(Object.entries(procedure.input).filter(([name]) => !procedure.pathFields.includes(name)));
  const hasInput = Object.keys(ownFields).length > 0;
  // An input naming a record by id: that record may be absent.
  const namesRecord = Object.values(procedure.input).some((spec) => spec.graphql() === ID);
  const errors: ErrorCode[] = [...(namesRecord ? (['NOT_FOUND'] as const) : []), ...(procedure.errors ?? [])];
  return {
    method,
    path,
    requirement: procedure.permission,
    summary: headline(procedure.description),
    description: procedure.description,
    // A query's GraphQL name is a noun (`dashboard`), a mutation's a verb (`connectXero`).
    operationId: procedure.kind === 'mutation' ? procedure.name : `${procedure.page ? 'list' : 'get'}${pascal(procedure.name)}`,
    tag,
    doc: {
      ...(fromQuery
        ? { query: { ...fieldParams(ownFields), ...(procedure.page ? PAGING_PARAMS : {}) } }
        : hasInput ? { body: { name: `${pascal(procedure.name)}Input`, fields: ownFields, mode: 'create' as const } } : {}),
      ...(procedure.pathFields.length
        ? { pathParams: Object.fromEntries(procedure.pathFields.map((name) => [name, procedure.input[name].options.description ?? `The ${name}.`])) }
        : {}),
      record,
      answer: procedure.page ? 'page' : method === 'DELETE' ? 'none' : 'one',
      ...(status !== 200 ? { status } : {}),
      errors,
    },
    handler: async ({ ctx, query, body, params }) => {
      const fromPath = Object.fromEntries(procedure.pathFields.map((name) => [name, params[name]]));
      if (procedure.page) return paged(await procedure.page(procedure.parseInput({ ...withoutPaging(query), ...fromPath }), ctx.scope, parsePaging(query), ctx.caller));
      const given = fromQuery ? query : body;
      const input = procedure.pathFields.length ? { ...(given && typeof given === 'object' && !Array.isArray(given) ? given : {}), ...fromPath } : given;
      const answer = await procedure.run!(procedure.parseInput(input), ctx.scope, ctx.caller, procedure.partsFor(ctx.caller));
      if (answer === null || answer === undefined) return noContent();
      return { status, body: { data: procedure.visible(answer, ctx.caller) } };
    },
  };
}
