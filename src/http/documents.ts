import { type DocumentDef, documentContent } from '../core/documents';
import { NotFoundError } from '../shared/errors';
import { serveContent } from './content';
import type { RouteDef, RouteTag } from './rest';
import { headline, pascal } from './route-docs';

/**
 * `GET <family path>/{id}/<document path>`: the PDF of one record, made from it on every read (or the
 * bytes kept for it), with a strong ETag (If-None-Match → 304), `inline` Content-Disposition with a
 * safe file name, and one byte range. Another company's record, or one under another parent, is 404.
 */
export function documentRoute(document: DocumentDef, tag: RouteTag): RouteDef {
  const def = document.of();
  const segments = document.path.split('/').map((s) => pascal(s.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase())));
  const recordPath = `${def.path}/:id`;
  return {
    method: 'GET',
    path: `${recordPath}/${document.path}`,
    requirement: document.requirement,
    summary: headline(document.description),
    description: `${document.description} A PDF in the company's name, its money in the record's currency and its times in the company's time zone (\`inline\`, with a safe file name). The same record gives the same bytes, and the ETag (the SHA-256 of the bytes) answers \`If-None-Match\` with 304.`,
    operationId: `get${def.typeName}${segments.join('')}`,
    tag,
    doc: {
      answer: 'pdf',
      pathParams: Object.fromEntries([...recordPath.matchAll(/:(\w+)/g)].map((m) => [m[1], m[1] === 'id' ? `The ${def.singular}'s id.` : `The id of the record the ${def.singular} belongs to.`])),
      errors: ['NOT_FOUND', 'RANGE_NOT_SATISFIABLE'],
    },
    handler: async ({ ctx, params, raw, res }) => {
      const record = await ctx.scope.byId(def.entity).load(params.id);
      const parentKey = def.parent?.key;
      if (!record || (parentKey && (record as unknown as Record<string, unknown>)[parentKey] !== params[parentKey]?.toLowerCase())) throw new NotFoundError(def.typeName);
      await serveContent(raw, res, await documentContent(document, record, ctx.scope));
      return { handled: true };
    },
  };
}
