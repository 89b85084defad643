import type { EndpointDef } from '../core/endpoint';
import { PAGING_QUERY, parsePaging } from '../core/listing';
import { noContent, paged, RouteDef, withoutPaging } from './rest';

/**
 * The REST side of a module's endpoint: GET reads the input from the query string, the other methods
 * from the JSON body; the answer is `{ data }` (or a page, or 204 for nothing), without the parts the
 * caller may not see.
 */
export function endpointRoute(endpoint: EndpointDef): RouteDef {
  const { method, path, status = 200 } = endpoint.rest;
  const fromQuery = method === 'GET' || method === 'DELETE';
  const record = endpoint.returns().name;
  return {
    method,
    path,
    requirement: endpoint.permission,
    summary: endpoint.description,
    doc: {
      ...(fromQuery
        ? { query: { ...endpoint.inputSchema.shape, ...(endpoint.page ? PAGING_QUERY : {}) } }
        : Object.keys(endpoint.input).length ? { body: endpoint.inputSchema } : {}),
      record,
      answer: endpoint.page ? 'page' : method === 'DELETE' ? 'none' : 'one',
      created: status === 201,
      errors: endpoint.errors,
    },
    handler: async ({ ctx, query, body }) => {
      if (endpoint.page) return paged(await endpoint.page(endpoint.parseInput(withoutPaging(query)), ctx.scope, parsePaging(query), ctx));
      const answer = await endpoint.run!(endpoint.parseInput(fromQuery ? query : body), ctx.scope, ctx, endpoint.partsFor(ctx));
      if (answer === null || answer === undefined) return noContent();
      return { status, body: { data: endpoint.visible(answer, ctx) } };
    },
  };
}
