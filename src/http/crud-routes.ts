import { z } from 'zod';
import type { CrudService } from '../core/crud-service';
import { parseWith, VERSION_MAX } from '../core/fields';
import { PAGING_QUERY, parseFilters, parsePaging } from '../core/listing';
import type { ResourceDef } from '../core/resource';
import type { TenantEntity } from '../db/base-entity';
import { created, noContent, ok, paged, RouteDef } from './rest';

/** `?version=` on DELETE: the same range as the column (`int`). */
const versionQuery = z.object({
  version: z.coerce
    .number({ error: 'must be an integer' })
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(VERSION_MAX, `must be at most ${VERSION_MAX}`)
    .optional(),
});

/** The REST route set of a CRUD family: list, create, read, partial update, delete. */
export function crudRoutes<E extends TenantEntity>(def: ResourceDef<E>, service: CrudService<E>): RouteDef[] {
  const { path, typeName, plural } = def;
  const record = typeName;
  const listQuery = { ...Object.fromEntries(Object.entries(def.filters).map(([k, f]) => [k, f.query])), ...PAGING_QUERY };
  return [
    {
      method: 'GET',
      path,
      requirement: def.can.view,
      summary: `List ${plural}`,
      doc: { query: listQuery, record, answer: 'page' },
      handler: async ({ ctx, query }) =>
        paged(await service.list(ctx.scope, parseFilters(def.filters, query, 'query'), parsePaging(query))),
    },
    {
      method: 'POST',
      path,
      requirement: def.can.create,
      summary: `Create a ${typeName}`,
      doc: { body: def.inputs.createSchema, record, answer: 'one', created: true },
      handler: async ({ ctx, body }) => created(await service.create(ctx.scope, def.inputs.parseCreate(body))),
    },
    {
      method: 'GET',
      path: `${path}/:id`,
      requirement: def.can.view,
      summary: `Read a ${typeName}`,
      doc: { record, answer: 'one' },
      handler: async ({ ctx, params }) => ok(await service.get(ctx.scope, params.id)),
    },
    {
      method: 'PUT',
      path: `${path}/:id`,
      requirement: def.can.edit,
      summary: `Change the fields sent of a ${typeName}`,
      doc: { body: def.inputs.updateSchema, record, answer: 'one' },
      handler: async ({ ctx, params, body }) => {
        const { patch, version } = def.inputs.parseUpdate(body);
        return ok(await service.update(ctx.scope, params.id, patch, version));
      },
    },
    {
      method: 'DELETE',
      path: `${path}/:id`,
      requirement: def.can.delete,
      summary: `Delete a ${typeName}`,
      doc: { query: versionQuery.shape, answer: 'none' },
      handler: async ({ ctx, params, query }) => {
        const { version } = parseWith(versionQuery, { version: query.version });
        await service.delete(ctx.scope, params.id, version);
        return noContent();
      },
    },
  ];
}
