import { ID } from 'type-graphql';
import type { EndpointDef } from '../core/endpoint';
import type { ErrorCode } from '../core/errors';
import { parsePaging } from '../core/listing';
import { noContent, paged, RouteDef, RouteTag, withoutPaging } from './rest';
import { fieldParams, headline, pascal, PAGING_PARAMS } from './route-docs';

/**
 * The REST side of a module's endpoint: GET reads the input from the query string, the other methods
 * from the JSON body; the answer is `{ data }` (or a page, or 204 for nothing), without the parts the
 * caller may not see.
 */
export function endpointRoute(endpoint: EndpointDef, tag: RouteTag): RouteDef {
  const { method, path, status = 200 } = endpoint.rest;
  const fromQuery = method === 'GET' || method === 'DELETE';
  const record = endpoint.returns().name;
  const ownFields = Object.fromEntries(Object.entries(endpoint.input).filter(([name]) => !endpoint.pathFields.includes(name)));
  const hasInput = Object.keys(ownFields).length > 0;
  // An input naming a record by id: that record may be absent.
  const namesRecord = Object.values(endpoint.input).some((spec) => spec.graphql() === ID);
  const errors: ErrorCode[] = [...(namesRecord ? (['NOT_FOUND'] as const) : []), ...(endpoint.errors ?? [])];
  return {
    method,
    path,
    requirement: endpoint.permission,
    summary: headline(endpoint.description),
    description: endpoint.description,
    // A query's GraphQL name is a noun (`dashboard`), a mutation's a verb (`connectXero`).
    operationId: endpoint.kind === 'mutation' ? endpoint.name : `${endpoint.page ? 'list' : 'get'}${pascal(endpoint.name)}`,
    tag,
    doc: {
      ...(fromQuery
        ? { query: { ...fieldParams(ownFields), ...(endpoint.page ? PAGING_PARAMS : {}) } }
        : hasInput ? { body: { name: `${pascal(endpoint.name)}Input`, fields: ownFields, mode: 'create' as const } } : {}),
      ...(endpoint.pathFields.length
        ? { pathParams: Object.fromEntries(endpoint.pathFields.map((name) => [name, endpoint.input[name].options.description ?? `The ${name}.`])) }
        : {}),
      record,
      answer: endpoint.page ? 'page' : method === 'DELETE' ? 'none' : 'one',
      ...(status !== 200 ? { status } : {}),
      errors,
    },
    handler: async ({ ctx, query, body, params }) => {
      const fromPath = Object.fromEntries(endpoint.pathFields.map((name) => [name, params[name]]));
      if (endpoint.page) return paged(await endpoint.page(endpoint.parseInput({ ...withoutPaging(query), ...fromPath }), ctx.scope, parsePaging(query), ctx));
      const given = fromQuery ? query : body;
      const input = endpoint.pathFields.length ? { ...(given && typeof given === 'object' && !Array.isArray(given) ? given : {}), ...fromPath } : given;
      const answer = await endpoint.run!(endpoint.parseInput(input), ctx.scope, ctx, endpoint.partsFor(ctx));
      if (answer === null || answer === undefined) return noContent();
      return { status, body: { data: endpoint.visible(answer, ctx) } };
    },
  };
}
