import { z } from 'zod';
import { type Config, loadConfig } from '../config';
import { describeAction, describeOperation } from '../core/descriptions';
import { parseWith, VERSION_MAX } from '../core/fields';
import { PAGING_QUERY, parseFilters, parsePaging } from '../core/listing';
import type { FamilyModule } from '../core/module';
import { NotFoundError } from '../shared/errors';
import { readView, ViewDef } from '../core/views';
import type { BelongsToDef } from '../core/relations';
import type { TenantEntity } from '../db/base-entity';
import type { RequestContext } from '../auth/request-context';
import { receiveUpload, serveContent, UploadSlots } from './content';
import { created, noContent, ok, paged, RouteDef, withoutPaging } from './rest';

/** What the REST side of families needs from the configuration. */
export interface FamilyRouteOptions {
  /** Largest uploaded file, in bytes (FILE_MAX_BYTES). */
  fileMaxBytes: number;
  /** Uploads in progress at once on this instance (shared by every upload route). */
  uploadSlots: UploadSlots;
  /** How long an upload may send nothing before it is dropped (FILE_UPLOAD_IDLE_MS). */
  uploadIdleMs: number;
}

/** The options of a server's routes from its configuration: one set of upload slots for them all. */
export function routeOptions(config: Pick<Config, 'fileMaxBytes' | 'fileUploads'>): FamilyRouteOptions {
  return { fileMaxBytes: config.fileMaxBytes, uploadSlots: new UploadSlots(config.fileUploads.maxConcurrent), uploadIdleMs: config.fileUploads.idleMs };
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
export function familyRoutes(module: FamilyModule, options: FamilyRouteOptions = routeOptions(loadConfig({}))): RouteDef[] {
  const views = (module.views ?? []).map(viewRoute);
  return module.family.readModel ? views : [...recordRoutes(module, options), ...views];
}

/** `GET <path>/{id}/<name>`: the view of one record, 404 when the record is absent (or under another parent). */
function viewRoute(view: ViewDef): RouteDef {
  const def = view.of();
  return {
    method: 'GET',
    path: `${def.path}/:id/${view.name}`,
    requirement: view.requirement,
    summary: view.description,
    doc: { record: view.type.name, answer: 'one' },
    handler: async ({ ctx, params }) => {
      const record = await ctx.scope.byId(def.entity).load(params.id);
      const parentKey = def.parent?.key;
      if (!record || (parentKey && (record as unknown as Record<string, unknown>)[parentKey] !== params[parentKey]?.toLowerCase())) throw new NotFoundError(def.typeName);
      return ok(await readView(view, record, ctx.scope));
    },
  };
}

/**
 * Rows with a summary of each embedded relation's record: one batch per relation for all rows, and
 * null where the caller may not view it.
 */
async function embed(rows: TenantEntity[], embeds: { relation: BelongsToDef; properties: readonly string[] }[], ctx: RequestContext): Promise<object[]> {
  if (!embeds.length) return rows;
  const loaded = await Promise.all(
    embeds.map(async ({ relation, properties }) => {
      if (!ctx.satisfies(relation.requirement)) return rows.map(() => null);
      const keys = rows.map((r) => (r as unknown as Record<string, string | null>)[relation.key]);
      const found = await ctx.scope.byId(relation.target, properties).loadMany(keys.filter((k): k is string => k !== null));
      const byId = new Map(found.filter((f): f is TenantEntity => f !== null && !(f instanceof Error)).map((f) => [f.id, f]));
      return keys.map((k) => {
        const target = k ? (byId.get(k) as unknown as Record<string, unknown> | undefined) : undefined;
        return target ? Object.fromEntries(properties.map((p) => [p, target[p]])) : null;
      });
    }),
  );
  return rows.map((row, i) => ({ ...row.toJSON(), ...Object.fromEntries(embeds.map(({ relation }, j) => [relation.field, loaded[j][i]])) }));
}

function recordRoutes(module: FamilyModule, options: FamilyRouteOptions): RouteDef[] {
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
    const { page, run, summary, count } = query;
    const embeds = Object.entries(query.embed).map(([field, properties]) => {
      const relation = (module.relations ?? []).find((r): r is BelongsToDef => r.kind === 'belongsTo' && r.source === def.entity && r.field === field);
      if (!relation) throw new Error(`${typeName}.${query.name} embeds ${field}, which is no belongsTo relation of its module`);
      return { relation, properties };
    });
    const docEmbeds = Object.fromEntries(embeds.map(({ relation, properties }) => [relation.field, { record: relation.target.name, fields: properties }]));
    routes.push({
      method: 'GET',
      path: query.path,
      requirement: query.permission,
      summary: query.description,
      doc: page
        ? { query: { ...query.inputSchema.shape, ...PAGING_QUERY }, record, answer: 'page', embeds: docEmbeds, ...(summary ? { meta: { [summary.name]: summary.type.name } } : {}) }
        : count
          ? { query: query.inputSchema.shape, answer: 'count' }
          : { query: query.inputSchema.shape, record, answer: 'many', embeds: docEmbeds },
      handler: async ({ ctx, query: params }) => {
        if (count) return ok({ count: await count(query.parseInput(params), ctx.scope) });
        if (!page) return ok(await embed(await run!(query.parseInput(params), ctx.scope), embeds, ctx));
        const input = query.parseInput(withoutPaging(params));
        const [found, figures] = await Promise.all([page(input, ctx.scope, parsePaging(params as Record<string, unknown>)), summary?.run(input, ctx.scope)]);
        return paged({ ...found, items: await embed(found.items, embeds, ctx) }, summary ? { [summary.name]: figures } : {});
      },
    });
  }
  for (const command of def.commands) {
    routes.push({
      method: 'POST',
      path: command.path,
      requirement: command.permission,
      summary: `${command.description} Answers how many records it changed.`,
      doc: { body: command.inputType ? command.inputSchema : undefined, answer: 'count' },
      handler: async ({ ctx, body }) => {
        const input = command.parseInput(body);
        return ok({ count: await ctx.scope.transaction((tx) => command.run(input, tx)) });
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
      doc: { upload: upload.inputSchema, record, answer: 'one', created: true, errors: ['RATE_LIMITED'] },
      handler: async ({ ctx, raw }) => {
        const release = options.uploadSlots.take();
        try {
          return created(
            await receiveUpload(raw, { maxBytes: options.fileMaxBytes, idleMs: options.uploadIdleMs }, (content, fields, formRead) => {
              const input = upload.parseInput(fields);
              return ctx.scope.transaction(async (tx) => {
                const row = await upload.run(content, input, tx, ctx);
                await formRead;
                return row;
              });
            }),
          );
        } finally {
          release();
        }
      },
    });
  }
  if (def.operations.has('create')) {
    routes.push({
      method: 'POST',
      path: def.path,
      requirement: def.needs('create'),
      summary: describeOperation(def, 'create', `Create ${a}`),
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
        summary: describeOperation(def, 'update', `Change the fields sent of ${a}`),
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
      summary: describeOperation(def, 'delete', `Delete ${a}`),
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
      method: action.method,
      path: `${recordPath}/${action.name}`,
      requirement: action.permission,
      summary: describeAction(def, action),
      doc: { body: action.inputType ? action.inputSchema : undefined, record, answer: 'one' },
      handler: async ({ ctx, params, body }) =>
        ok(await service.act(ctx.scope, action.name, idOf(params, ctx.companyId), body, parentOf(params))),
    });
  }
  if (def.history) routes.push({
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
