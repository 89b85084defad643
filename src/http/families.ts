import { z } from 'zod';
import { type Config, loadConfig } from '../config';
import { describeOperation } from '../core/descriptions';
import type { ActionDef, FamilyDef } from '../core/family';
import { parseWith, VERSION_MAX } from '../core/fields';
import { parseFilters, parsePaging } from '../core/listing';
import type { FamilyModule } from '../core/module';
import { serviceOf } from '../core/service';
import { type ErrorCode, NotFoundError } from '../shared/errors';
import { readComputed, ComputedReadDef } from '../core/computed-reads';
import type { BelongsToDef } from '../core/relations';
import type { TenantEntity } from '../db/base-entity';
import type { RequestContext } from '../auth/request-context';
import { receiveUpload, serveContent, UploadSlots } from './content';
import { csvExport, importRecords, IMPORT_IGNORED_COLUMNS, readImport } from '../core/csv';
import { csvFileName, DRY_RUN_QUERY, FORMAT_QUERY, sendCsv, wantsCsv } from './csv';
import { documentRoute } from './documents';
import { created, noContent, ok, paged, RouteDef, RouteTag, withoutPaging } from './rest';
import { article, camel, fieldParams, filterParams, headline, kebab, PAGING_PARAMS, pascal } from './route-docs';

/** What the REST side of families needs from the configuration. */
export interface FamilyRouteOptions {
  /** Largest uploaded file, in bytes (FILE_MAX_BYTES). */
  fileMaxBytes: number;
  /** Uploads in progress at once on this instance (shared by every upload route). */
  uploadSlots: UploadSlots;
  /** How long an upload may send nothing before it is dropped (FILE_UPLOAD_IDLE_MS). */
  uploadIdleMs: number;
  /** The most rows a list answers as CSV (EXPORT_MAX_ROWS) and an import takes (IMPORT_MAX_ROWS). */
  csv: Config['csv'];
}

/** The options of a server's routes from its configuration: one set of upload slots for them all. */
export function routeOptions(config: Pick<Config, 'fileMaxBytes' | 'fileUploads' | 'csv'>): FamilyRouteOptions {
  return {
    fileMaxBytes: config.fileMaxBytes,
    uploadSlots: new UploadSlots(config.fileUploads.maxConcurrent),
    uploadIdleMs: config.fileUploads.idleMs,
    csv: config.csv,
  };
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

const FORMAT_PARAM = {
  value: FORMAT_QUERY,
  description: '`csv`: every matching row as a CSV attachment (paging does not apply); `json` (the default unless `Accept` prefers `text/csv`): a page.',
};
const DRY_RUN_PARAM = { value: DRY_RUN_QUERY, description: '`true`: do the whole import and roll it back, creating nothing; the answer lists what was found.' };

/** An update body's `version`. */
const VERSION_SCHEMA = {
  type: 'integer',
  minimum: 1,
  maximum: VERSION_MAX,
  description: 'The version you read; if the record has changed since, the update is refused (409) and nothing changes.',
};

/**
 * The REST side of a family, made from its declaration: the routes of the operations it has
 * (list, create, read, partial update, delete), `POST …/{id}/<action>` per action, and
 * `GET …/{id}/history`. A nested family's routes carry the parent's id in the path.
 */
export function familyRoutes(module: FamilyModule, options: FamilyRouteOptions = routeOptions(loadConfig({}))): RouteDef[] {
  const underRecords = [...(module.computedReads ?? []).map(computedReadRoute), ...(module.documents ?? []).map((d) => documentRoute(d, familyTag(d.of())))];
  return module.family.readModel ? underRecords : [...recordRoutes(module, options), ...underRecords];
}

/** `GET <path>/{id}/<name>`: the computed read of one record, 404 when the record is absent (or under another parent). */
function computedReadRoute(computed: ComputedReadDef): RouteDef {
  const def = computed.of();
  return {
    method: 'GET',
    path: `${def.path}/:id/${kebab(computed.name)}`,
    requirement: computed.requirement,
    summary: headline(computed.description),
    description: computed.description,
    operationId: `get${def.typeName}${pascal(camel(computed.name))}`,
    tag: familyTag(def),
    doc: {
      record: computed.type.name,
      answer: 'one',
      pathParams: pathParams(def, `${def.path}/:id`),
      ...(Object.keys(computed.input).length ? { query: fieldParams(computed.input) } : {}),
      errors: ['NOT_FOUND', ...computed.errors],
    },
    handler: async ({ ctx, params, query }) => {
      const input = computed.parseInput(query);
      const record = await ctx.scope.byId(def.entity).load(params.id);
      const parentKey = def.parent?.key;
      if (!record || (parentKey && (record as unknown as Record<string, unknown>)[parentKey] !== params[parentKey]?.toLowerCase())) throw new NotFoundError(def.typeName);
      return ok(await readComputed(computed, record, ctx.scope, input));
    },
  };
}

/** The group a family's routes are listed under (described by the family, else by its GraphQL type). */
function familyTag(def: FamilyDef): RouteTag {
  return { name: pascal(def.plural), description: def.description ?? '' };
}

/** What each path parameter of a family's path names. */
function pathParams(def: FamilyDef, path: string): Record<string, string> {
  const names = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]);
  const parent = def.parent?.family();
  return Object.fromEntries(
    names.map((name) => [
      name,
      name === def.parent?.key && parent
        ? `The id of the ${parent.singular} the ${def.singular} belongs to.`
        : def.singleton
          ? `The ${def.singular}'s id: the same as \`x-org\`.`
          : `The ${def.singular}'s id.`,
    ]),
  );
}

/**
 * Operation names of actions named by a noun, where `<action><Type>` would not read as what it does
 * (the GraphQL mutation keeps its own name).
 */
export const ACTION_OPERATION_IDS: Record<string, string> = { 'Ticket.sales': 'recordTicketSale' };

/** Actions whose camelCase path callers knew before paths were kebab-case: that spelling stays, deprecated. */
const OLD_ACTION_SPELLINGS = new Set(['Event.openSales', 'Event.soldOut']);

/**
 * The states an action moves a record between, as its declaration says: the states it starts from
 * (from any other it is refused, 409, and nothing changes) and the state(s) it moves to.
 */
function stateLine(def: FamilyDef, action: ActionDef): string {
  if (!def.states) return '';
  const states = (list: readonly string[], joint: string) => list.map((s) => `\`${s}\``).join(joint);
  const from = action.from?.length ? `from ${states(action.from, ', ')}` : 'from any state';
  const to = action.to?.length ? ` to ${states(action.to, ' or ')}` : '';
  const refused = action.from?.length ? '; from any other it is refused (409 CONFLICT) and nothing changes' : '';
  return `Moves \`${def.states.field}\` ${from}${to}${refused}.`;
}

/**
 * Rows with a summary of each embedded relation's record: one batch per relation for all rows, and
 * null where the caller may not view it.
 */
async function embed(rows: TenantEntity[], embeds: { relation: BelongsToDef; properties: readonly string[] }[], ctx: RequestContext): Promise<object[]> {
  if (!embeds.length) return rows;
  const loaded = await Promise.all(
    embeds.map(async ({ relation, properties }) => {
      if (!ctx.allows(relation.requirement)) return rows.map(() => null);
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
  const def = module.family;
  const service = module.service ?? serviceOf(def);
  const { typeName, plural } = def;
  const record = typeName;
  const parentOf = (params: Record<string, string>) => (def.parent ? params[def.parent.key] : undefined);
  // A singleton answers at `/current` and at its own id (the x-org).
  const recordPaths = def.singleton ? [`${def.path}/current`, `${def.path}/:id`] : [`${def.path}/:id`];
  const idOf = (params: Record<string, string>, companyId: string) => params.id ?? companyId;
  const routes: RouteDef[] = [];
  const a = article(def.singular);
  const tag = familyTag(def);
  const parent = def.parent?.family();
  // Under a parent, the parent's absence is a 404 too.
  const underParent: ErrorCode[] = parent ? ['NOT_FOUND'] : [];
  const listOf = parent ? `${article(parent.singular)}'s ${plural}` : plural;

  if (def.operations.has('list')) {
    routes.push({
      method: 'GET',
      path: def.path,
      requirement: def.needs('list'),
      summary: `List ${listOf}`,
      description:
        `A page of ${listOf}, narrowed by every filter given (an empty value is not given); any other query parameter is refused. ` +
        `As CSV (\`format=csv\`, or \`Accept: text/csv\`): every matching row in the same order, paging aside, at most EXPORT_MAX_ROWS (more is a 400 before anything is sent).`,
      operationId: `list${parent ? pascal(parent.singular) : ''}${pascal(plural)}`,
      tag,
      doc: { query: { ...filterParams(def.filters, plural), ...PAGING_PARAMS, format: FORMAT_PARAM }, pathParams: pathParams(def, def.path), record, answer: 'page', csv: true, errors: underParent },
      handler: async ({ ctx, query, params, raw, res }) => {
        const filters = parseFilters(def.filters, query, 'query');
        if (!wantsCsv(raw, query)) return paged(await service.list(ctx.scope, filters, parsePaging(query), parentOf(params)));
        const table = await csvExport(service, ctx.scope, filters, options.csv.exportMaxRows, parentOf(params));
        await sendCsv(raw, res, csvFileName(plural, ctx.scope.now()), table);
        return { handled: true };
      },
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
    const named = embeds.length || summary ? { name: pascal(query.graphqlName) } : {};
    const params = fieldParams(query.input);
    routes.push({
      method: 'GET',
      path: query.path,
      requirement: query.permission,
      summary: headline(query.description),
      description: query.description,
      operationId: `${page ? 'list' : 'get'}${pascal(query.graphqlName)}`,
      tag,
      doc: page
        ? { query: { ...params, ...PAGING_PARAMS }, record, answer: 'page', embeds: docEmbeds, ...named, ...(summary ? { meta: { [summary.name]: summary.type.name } } : {}) }
        : count
          ? { query: params, answer: 'count' }
          : { query: params, record, answer: 'many', embeds: docEmbeds, ...named },
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
      summary: headline(command.description),
      description: `${command.description} Answers how many records it changed.`,
      operationId: command.graphqlName,
      tag,
      doc: { body: Object.keys(command.input).length ? { name: `${typeName}${pascal(camel(command.name))}Input`, fields: command.input, mode: 'create' } : undefined, answer: 'count' },
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
      summary: headline(upload.description),
      description: upload.description,
      operationId: upload.graphqlName,
      tag,
      accepts: ['multipart/form-data'],
      // The record it attaches to may be absent; over FILE_UPLOADS_MAX_CONCURRENT is a 429.
      doc: { upload: { name: `${typeName}${pascal(upload.name)}Form`, fields: upload.input }, record, answer: 'one', status: 201, errors: ['NOT_FOUND', 'CONFLICT', 'RATE_LIMITED'] },
      handler: async ({ ctx, raw }) => {
        const release = options.uploadSlots.take();
        try {
          return created(
            await receiveUpload(raw, { maxBytes: options.fileMaxBytes, idleMs: options.uploadIdleMs }, (content, fields, formRead) => {
              const input = upload.parseInput(fields);
              return ctx.scope.transaction(async (tx) => {
                const row = await upload.run(content, input, tx, ctx.caller);
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
  if (def.importable) {
    routes.push({
      method: 'POST',
      path: `${def.path}/import`,
      requirement: def.needs('create'),
      summary: `Create ${plural} from a CSV file`,
      description:
        `Create ${plural} from a CSV file in the multipart part \`file\` (UTF-8, comma-separated, RFC 4180; a BOM is skipped): a header row of the REST field names (the columns of \`format=csv\`; \`${IMPORT_IGNORED_COLUMNS.join('`, `')}\` are not read), then at most IMPORT_MAX_ROWS rows, an empty cell a field not given, lists and objects as JSON. ` +
        `Each row is validated and created as \`POST /api${def.path.replace(/:(\w+)/g, '{$1}')}\` does (with its history), all in one transaction: any bad row creates nothing (400 with every problem, \`details\` \`{ row, field, message }\`, the header being row 1). ` +
        '`dryRun=true` does all of it and rolls it back, answering what it found in `errors`.',
      operationId: `import${pascal(plural)}`,
      tag,
      accepts: ['multipart/form-data'],
      doc: {
        upload: { name: `${typeName}ImportForm`, fields: {}, file: 'The CSV file: UTF-8, comma-separated, a header row of field names.' },
        query: { dryRun: DRY_RUN_PARAM },
        pathParams: pathParams(def, def.path),
        answer: 'import',
        errors: [...underParent, 'PAYLOAD_TOO_LARGE', 'RATE_LIMITED'],
      },
      handler: async ({ ctx, params, query, raw }) => {
        const dryRun = parseWith(z.object({ dryRun: DRY_RUN_QUERY }), { dryRun: query.dryRun || undefined }).dryRun === 'true';
        const release = options.uploadSlots.take();
        try {
          const read = await receiveUpload(raw, { maxBytes: options.fileMaxBytes, idleMs: options.uploadIdleMs }, async (content, _fields, formRead) => {
            const rows = await readImport(def, content.stream, options.csv.importMaxRows);
            await formRead;
            return rows;
          });
          return ok(await importRecords(service, ctx.scope, read, { dryRun, parentId: parentOf(params) }));
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
      summary: `Create ${a}`,
      description: describeOperation(def, 'create', `Create ${a} from the fields sent; it answers the record as stored.`),
      operationId: `create${typeName}`,
      tag,
      doc: { body: { name: `${typeName}Create`, fields: def.fields, mode: 'create' }, pathParams: pathParams(def, def.path), record, answer: 'one', status: 201, errors: [...underParent, 'CONFLICT'] },
      handler: async ({ ctx, body, params }) => created(await service.create(ctx.scope, def.inputs.parseCreate(body), parentOf(params))),
    });
  }
  for (const [i, path] of recordPaths.entries()) {
    // A singleton's second path is its id (the x-org).
    const byId = i > 0 ? 'ById' : '';
    if (def.operations.has('one')) {
      routes.push({
        method: 'GET',
        path,
        requirement: def.needs('one'),
        summary: `Read ${a}`,
        description: def.singleton ? `The ${def.singular} of the x-org company.` : `One ${def.singular} by id (another company's is absent: 404).`,
        operationId: `get${typeName}${byId}`,
        tag,
        doc: { record, answer: 'one', pathParams: pathParams(def, path), errors: ['NOT_FOUND'] },
        handler: async ({ ctx, params }) => ok(await service.get(ctx.scope, idOf(params, ctx.caller.companyId), parentOf(params))),
      });
    }
    if (def.operations.has('update')) {
      routes.push({
        method: 'PUT',
        path,
        requirement: def.needs('update'),
        summary: `Change ${a}`,
        description: describeOperation(
          def,
          'update',
          `Change the fields sent of ${a} (the others stay); \`null\` clears a field that may be empty. Send the \`version\` you read: a stale one is refused (409) instead of a lost update.`,
        ),
        operationId: `update${typeName}${byId}`,
        tag,
        doc: { body: { name: `${typeName}Update`, fields: def.fields, mode: 'update', extra: { version: VERSION_SCHEMA } }, record, answer: 'one', pathParams: pathParams(def, path), errors: ['NOT_FOUND', 'CONFLICT'] },
        handler: async ({ ctx, params, body }) => {
          const { patch, version } = def.inputs.parseUpdate(body);
          return ok(await service.update(ctx.scope, idOf(params, ctx.caller.companyId), patch, version, parentOf(params)));
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
      description: describeOperation(def, 'delete', `Delete ${a}; while other records still point to it, it is refused (409) and \`details\` counts them.`),
      operationId: `delete${typeName}`,
      tag,
      doc: {
        query: { version: { value: versionQuery.shape.version, description: 'The version you read: if the record changed since, the delete is refused (409).' } },
        pathParams: pathParams(def, `${def.path}/:id`),
        answer: 'none',
        errors: ['NOT_FOUND', 'CONFLICT'],
      },
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
      summary: headline(download.description),
      description: download.description,
      operationId: `get${typeName}${pascal(camel(download.name))}`,
      tag,
      doc: { answer: 'bytes', pathParams: pathParams(def, download.path), errors: ['NOT_FOUND', 'RANGE_NOT_SATISFIABLE'] },
      handler: async ({ ctx, params, raw, res }) => {
        const row = await service.get(ctx.scope, idOf(params, ctx.caller.companyId), parentOf(params));
        await serveContent(raw, res, await download.open(row, ctx.scope));
        return { handled: true };
      },
    });
  }
  for (const action of def.actions) {
    const operationId = ACTION_OPERATION_IDS[`${typeName}.${action.name}`] ?? `${camel(action.name)}${typeName}`;
    const path = `${recordPath}/${kebab(action.name)}`;
    const route: RouteDef = {
      method: action.method,
      path,
      requirement: action.permission,
      summary: headline(action.description),
      description: [describeOperation(def, { action: action.name }, action.description), stateLine(def, action)].filter(Boolean).join(' '),
      operationId,
      tag,
      doc: {
        body: Object.keys(action.input).length ? { name: `${typeName}${pascal(camel(action.name))}Input`, fields: action.input, mode: 'create' } : undefined,
        record,
        answer: 'one',
        pathParams: pathParams(def, recordPath),
        errors: ['NOT_FOUND', 'CONFLICT'],
      },
      handler: async ({ ctx, params, body }) =>
        ok(await service.act(ctx.scope, action.name, idOf(params, ctx.caller.companyId), body, parentOf(params))),
    };
    routes.push(route);
    // The camelCase spelling callers knew, kept beside the one spelling of paths.
    if (OLD_ACTION_SPELLINGS.has(`${typeName}.${action.name}`)) {
      routes.push({
        ...route,
        path: `${recordPath}/${action.name}`,
        summary: `${route.summary} (old spelling)`,
        description: `The old spelling of \`${path.replace(/:(\w+)/g, '{$1}')}\`, which it answers the same: use that one. ${route.description}`,
        operationId: `${operationId}Deprecated`,
        deprecated: true,
      });
    }
  }
  if (def.history) routes.push({
    method: 'GET',
    path: `${recordPath}/history`,
    requirement: def.can.view,
    summary: `What happened to ${a}`,
    description: `What happened to ${a}, newest first: its changes, actions and deletion, readable after a delete.`,
    operationId: `list${typeName}History`,
    tag,
    doc: { query: PAGING_PARAMS, pathParams: pathParams(def, recordPath), record: 'HistoryEntry', answer: 'page', errors: ['NOT_FOUND'] },
    handler: async ({ ctx, params, query }) => {
      const id = idOf(params, ctx.caller.companyId);
      if (def.parent) await service.get(ctx.scope, id, parentOf(params)).catch(async (err) => {
        // A deleted record has no parent left to check: its history is still the company's.
        if ((await service.find(ctx.scope, id)) !== null) throw err;
      });
      return paged(await service.history(ctx.scope, id, parsePaging(query)));
    },
  });
  return routes;
}
