import type { Request } from 'express';
import { Kind, OperationDefinitionNode, parse } from 'graphql';

/** Root fields anyone may ask for: the gateway composes the supergraph with `_service { sdl }`. */
const PUBLIC_ROOT_FIELDS = new Set(['_service', '__typename']);

/** True when the request's operation selects only public root fields. */
export function isPublicOperation(req: Request): boolean {
  const source = req.method === 'GET' ? req.query : (req.body as Record<string, unknown> | undefined);
  const query = source?.query;
  if (typeof query !== 'string' || query.length > 10_000) return false;
  // Without either name in its text no root field can be public: most requests skip the parse.
  if (!query.includes('_service') && !query.includes('__typename')) return false;
  let operations: OperationDefinitionNode[];
  try {
    operations = parse(query).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  } catch {
    return false;
  }
  const name = source?.operationName;
  const operation = operations.length === 1 ? operations[0] : operations.find((o) => o.name?.value === name);
  if (!operation || operation.operation !== 'query') return false;
  return operation.selectionSet.selections.every(
    (s) => s.kind === Kind.FIELD && PUBLIC_ROOT_FIELDS.has(s.name.value) && !s.directives?.length,
  );
}
