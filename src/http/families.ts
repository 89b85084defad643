import { z } from 'zod';
import { FILE_MAX_BYTES_DEFAULT } from '../config';
import { parseWith, VERSION_MAX } from '../core/fields';
import { PAGING_QUERY, parseFilters, parsePaging } from '../core/listing';
import type { FamilyModule } from '../core/module';
import { receiveUpload, serveContent } from './content';
import { created, noContent, ok, paged, RouteDef } from './rest';

/** What the REST side of families needs from the configuration. */
export interface FamilyRouteOptions {
  /** Largest uploaded file, in bytes (FILE_MAX_BYTES). */
  fileMaxBytes: number;
}

/** `?version=` on DELETE: the same range as the column (`int`). */
const versionQuery = z.object({
  version: z.coerce
    .number({ error: 'must be an integer' })
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(VERSION_MAX, `must be at most ${VERSION_MAX}`)
    .optional(),
});

/**
 * The REST side of a family, made from its declaration: the routes of the operations it has
 * (list, create, read, partial update, delete), `POST …/{id}/<action>` per action, and
 * `GET …/{id}/history`. A nested family's routes carry the parent's id in the path.
 */
export function familyRoutes(module: FamilyModule, options: FamilyRouteOptions = { fileMaxBytes: FILE_MAX_BYTES_DEFAULT }): RouteDef[] {
  const { family: def, service } = module;
  const { typeName, plural } = def;
  const record = typeName;
  const parentOf = (params: Record<string, string>) => (def.parent ? params[def.parent.key] : undefined);
  // A singleton answers at `/current` and at its own id (the x-org).
  const recordPaths = def.singleton ? [`${def.path}/current`, `${def.path}/:id`] : [`${def.path}/:id`];
  const idOf = (params: Record<string, string>, companyId: string) => params.id ?? companyId;
  const routes: RouteDef[] = [];
  const a = /^[AEIOU]/.test(typeName) ? `an ${typeName}` : `a ${typeName}`;

  if (def.operations.has('list')) {
    const listQuery = { ...Object.fromEntries(Object.entries(def.filters).map(([k, f]) => [k, f.query])), ...PAGING_QUERY };
    routes.push({
      method: 'GET',
      path: def.path,
      requirement: def.needs('list'),
      summary: `List ${plural}`,
      doc: { query: listQuery, record, answer: 'page' },
      handler: async ({ ctx, query, params }) =>
        paged(await service.list(ctx.scope, parseFilters(def.filters, query, 'query'), parsePaging(query), parentOf(params))),
    });
  }
  // Before the record routes, so `/<path>/<name>` is not read as a record id.
  for (const query of def.queries) {
    const { page, run } = query;
    routes.push({
      method: 'GET',
      path: query.path,
      requirement: query.permission,
      summary: query.description,
      doc: page ? { query: { ...query.inputSchema.shape, ...PAGING_QUERY }, record, answer: 'page' } : { query: query.inputSchema.shape, record, answer: 'many' },
      handler: async ({ ctx, query: params }) => {
        if (!page) return ok(await run!(query.parseInput(params), ctx.scope));
        // Paging is not part of the query's own input.
        const { page: _page, limit: _limit, ...own } = (params ?? {}) as Record<string, unknown>;
        return paged(await page(query.parseInput(own), ctx.scope, parsePaging(params as Record<string, unknown>)));
      },
    });
  }
  // An upload is streamed into its transaction, which commits only once the whole body has been read.
  for (const upload of def.uploads) {
    routes.push({
      method: 'POST',
      path: upload.path,
      requirement: upload.permission,
      summary: upload.description,
      accepts: ['multipart/form-data'],
      doc: { upload: upload.inputSchema, record, answer: 'one', created: true },
      handler: async ({ ctx, raw }) =>
        created(
          await receiveUpload(raw, options.fileMaxBytes, (content, fields, formRead) => {
            const input = upload.parseInput(fields);
            return ctx.scope.transaction(async (tx) => {
              const row = await upload.run(content, input, tx, ctx);
              await formRead;
              return row;
            });
          }),
        ),
    });
  }
  if (def.operations.has('create')) {
    routes.push({
      method: 'POST',
      path: def.path,
      requirement: def.needs('create'),
      summary: `Create ${a}`,
      doc: { body: def.inputs.createSchema, record, answer: 'one', created: true },
      handler: async ({ ctx, body, params }) => created(await service.create(ctx.scope, def.inputs.parseCreate(body), parentOf(params))),
    });
  }
  for (const path of recordPaths) {
    if (def.operations.has('one')) {
      routes.push({
        method: 'GET',
        path,
        requirement: def.needs('one'),
        summary: `Read ${a}`,
        doc: { record, answer: 'one' },
        handler: async ({ ctx, params }) => ok(await service.get(ctx.scope, idOf(params, ctx.companyId), parentOf(params))),
      });
    }
    if (def.operations.has('update')) {
      routes.push({
        method: 'PUT',
        path,
        requirement: def.needs('update'),
        summary: `Change the fields sent of ${a}`,
        doc: { body: def.inputs.updateSchema, record, answer: 'one' },
        handler: async ({ ctx, params, body }) => {
          const { patch, version } = def.inputs.parseUpdate(body);
          return ok(await service.update(ctx.scope, idOf(params, ctx.companyId), patch, version, parentOf(params)));
        },
      });
    }
  }
  if (def.operations.has('delete')) {
    routes.push({
      method: 'DELETE',
      path: `${def.path}/:id`,
      requirement: def.needs('delete'),
      summary: `Delete ${a}`,
      doc: { query: versionQuery.shape, answer: 'none' },
      handler: async ({ ctx, params, query }) => {
        const { version } = parseWith(versionQuery, { version: query.version });
        await service.delete(ctx.scope, params.id, version, parentOf(params));
        return noContent();
      },
    });
  }
  const recordPath = recordPaths[0];
  for (const download of def.downloads) {
    routes.push({
      method: 'GET',
      path: download.path,
      requirement: download.permission,
      summary: download.description,
      doc: { answer: 'bytes' },
      handler: async ({ ctx, params, raw, res }) => {
        const row = await service.get(ctx.scope, idOf(params, ctx.companyId), parentOf(params));
        await serveContent(raw, res, await download.open(row, ctx.scope));
        return { handled: true };
      },
    });
  }
  for (const action of def.actions) {
    routes.push({
      method: 'POST',
      path: `${recordPath}/${action.name}`,
      requirement: action.permission,
      summary: action.description + (action.from ? ` Allowed from: ${action.from.join(', ')}.` : ''),
      doc: { body: action.inputType ? action.inputSchema : undefined, record, answer: 'one' },
      handler: async ({ ctx, params, body }) =>
        ok(await service.act(ctx.scope, action.name, idOf(params, ctx.companyId), body, parentOf(params))),
    });
  }
  routes.push({
    method: 'GET',
    path: `${recordPath}/history`,
    requirement: def.can.view,
    summary: `What happened to ${a}, newest first (readable after a delete)`,
    doc: { query: PAGING_QUERY, record: 'HistoryEntry', answer: 'page' },
    handler: async ({ ctx, params, query }) => {
      const id = idOf(params, ctx.companyId);
      if (def.parent) await service.get(ctx.scope, id, parentOf(params)).catch(async (err) => {
        // A deleted record has no parent left to check: its history is still the company's.
        if ((await service.find(ctx.scope, id)) !== null) throw err;
      });
      return paged(await service.history(ctx.scope, id, parsePaging(query)));
    },
  });
  return routes;
}
