import { randomUUID } from 'node:crypto';
import type { Actor, TestBase } from './harness';
import { expectGqlError, expectGqlValidation, expectRestError, expectRestValidation, gqlData, ISO_RE, UUID_RE } from './assertions';
import { allBut, createVia, freshActor, NO_SUCH_ID, rows } from './fixtures';

/**
 * The catalog behaviour tests (artists, venues, vendors, company, relations): one shared CRUD suite
 * that every family runs (`crudFamilySuite`), and the list readers of their filter tests.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */

export type Family = 'artist' | 'venue' | 'vendor';

/** The `name` of each record, in order. */
export const names = (list: { name: string }[]): string[] => list.map((r) => r.name);

/**
 * A REST list read as `actor`: 200, and `meta.total` counts exactly the records returned (nothing
 * is paged away). Returns the records.
 */
export async function listAll(base: TestBase, actor: Actor, url: string): Promise<any[]> {
  const res = await base.rest('GET', url, { as: actor });
  expect(res.status).toBe(200);
  expect(res.body.meta.total).toBe(res.body.data.length);
  return res.body.data;
}

/**
 * The GraphQL list `plural(filter: $f) { items { name } total }` read as `actor`, the filter sent as
 * a `filterType` variable; `total` counts exactly the items returned. Returns the items.
 */
export async function gqlListAll(
  base: TestBase,
  actor: Actor,
  plural: string,
  filterType: string,
  filter: Record<string, unknown>,
): Promise<{ name: string }[]> {
  const data = gqlData(await base.gql(`query($f: ${filterType}) { ${plural}(filter: $f) { items { name } total } }`, { f: filter }, { as: actor }));
  expect(data[plural].total).toBe(data[plural].items.length);
  return data[plural].items;
}

/** `_entities` with an inline fragment per catalog type. */
export const ENTITIES_QUERY = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on Artist { id name }
    ... on Venue { id name }
    ... on Vendor { id name }
    ... on Agency { id name }
    ... on Company { id currency }
  }
}`;

/* ------------------------------------------------------------------------------------------------ */

/** What a family's shared suite needs to know. */
export interface FamilySpec {
  family: Family;
  /** GraphQL type name: Artist. */
  typeName: string;
  /** GraphQL query names. */
  singular: string;
  plural: string;
  /** REST collection path, `/api/artists`. */
  path: string;
  table: string;
  /** A create body with every writable field, already in its normalized (stored) form. */
  fullBody(base: TestBase, actor: Actor): Promise<Record<string, unknown>>;
  /** The smallest valid create body. */
  minimalBody(name: string): Record<string, unknown>;
  /** What a minimal create stores for every field not sent (REST shape). */
  minimalDefaults: Record<string, unknown>;
  /** A REST record → the GraphQL shape of the same record (enum values upper-cased). */
  toGraphql(rest: Record<string, unknown>): Record<string, unknown>;
  /** GraphQL create input for a REST body. */
  graphqlInput(rest: Record<string, unknown>): Record<string, unknown>;
  /** Selection of every field of the type. */
  selection: string;
  /** A nullable field that a PUT may clear with null. */
  clearable: string;
}

const SYSTEM_FIELDS = ['id', 'createdAt', 'updatedAt', 'createdBy', 'version'];

function expectSystemFields(record: any, actor: Actor, version: number): void {
  expect(record.id).toMatch(UUID_RE);
  expect(record.createdAt).toMatch(ISO_RE);
  expect(record.updatedAt).toMatch(ISO_RE);
  expect(record.createdBy).toBe(actor.userId);
  expect(record.version).toBe(version);
  expect(record).not.toHaveProperty('companyId');
}

/**
 * CRUD over REST and GraphQL, route-by-route permissions, cross-company isolation and version
 * conflicts: the same contract for every catalog family.
 */
export function crudFamilySuite(base: TestBase, spec: FamilySpec): void {
  const { path, table, typeName, singular, plural, selection } = spec;
  const perm = (action: 'view' | 'create' | 'edit' | 'delete') => `basic.${spec.family}.${action}`;

  const createRest = (actor: Actor, body: Record<string, unknown>): Promise<any> => createVia(base, actor, path, body);

  describe(`${typeName}: REST CRUD`, () => {
    test('POST answers 201 { data } with every field as sent, the system fields, and one row', async () => {
      const actor = await freshActor(base);
      const body = await spec.fullBody(base, actor);
      const res = await base.rest('POST', path, { as: actor, body });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body)).toEqual(['data']);
      const data = res.body.data;
      expect(Object.keys(data).sort()).toEqual([...SYSTEM_FIELDS, ...Object.keys(body)].sort());
      expect(data).toEqual({ ...body, id: data.id, createdAt: data.createdAt, updatedAt: data.updatedAt, createdBy: actor.userId, version: 1 });
      expectSystemFields(data, actor, 1);
      expect(await rows(base, table, actor.companyId)).toBe(1);

      const one = await base.rest('GET', `${path}/${data.id}`, { as: actor });
      expect(one.status).toBe(200);
      expect(one.body).toEqual({ data });
    });

    test('POST ignores echoed system fields: id, companyId, createdBy, version come from the server', async () => {
      const actor = await freshActor(base);
      const other = randomUUID();
      const chosenId = randomUUID();
      const body = spec.minimalBody('Echo');
      const res = await base.rest('POST', path, {
        as: actor,
        body: { ...body, id: chosenId, companyId: other, createdBy: 'someone-else', createdAt: '2000-01-01T00:00:00Z' },
      });
      expect(res.status).toBe(201);
      expect(res.body.data.id).not.toBe(chosenId);
      expect(res.body.data.createdBy).toBe(actor.userId);
      expect(res.body.data.createdAt).not.toBe('2000-01-01T00:00:00.000Z');
      expect(await rows(base, table, actor.companyId)).toBe(1);
      expect(await rows(base, table, other)).toBe(0);
    });

    test('POST with only the required fields stores the defaults of the rest', async () => {
      const actor = await freshActor(base);
      const body = spec.minimalBody('Minimal');
      const data = await createRest(actor, body);
      expect(data).toEqual({ ...spec.minimalDefaults, ...body, id: data.id, createdAt: data.createdAt, updatedAt: data.updatedAt, createdBy: actor.userId, version: 1 });
    });

    test('GET list answers { data, meta } ordered by name, with paging', async () => {
      const actor = await freshActor(base);
      const c = await createRest(actor, spec.minimalBody('Charlie'));
      const a = await createRest(actor, spec.minimalBody('Alpha'));
      const b = await createRest(actor, spec.minimalBody('Bravo'));

      const all = await base.rest('GET', path, { as: actor });
      expect(all.status).toBe(200);
      expect(Object.keys(all.body)).toEqual(['data', 'meta']);
      expect(all.body).toEqual({ data: [a, b, c], meta: { page: 1, limit: 20, total: 3 } });

      const page2 = await base.rest('GET', `${path}?limit=2&page=2`, { as: actor });
      expect(page2.body).toEqual({ data: [c], meta: { page: 2, limit: 2, total: 3 } });
      const beyond = await base.rest('GET', `${path}?limit=2&page=3`, { as: actor });
      expect(beyond.body).toEqual({ data: [], meta: { page: 3, limit: 2, total: 3 } });

      expectRestValidation(await base.rest('GET', `${path}?limit=0`, { as: actor }), ['limit']);
      expectRestValidation(await base.rest('GET', `${path}?limit=101`, { as: actor }), ['limit']);
      expectRestValidation(await base.rest('GET', `${path}?page=0`, { as: actor }), ['page']);
    });

    test('GET one of an unknown or malformed id is 404 NOT_FOUND', async () => {
      const actor = await base.actor();
      expectRestError(await base.rest('GET', `${path}/${NO_SUCH_ID}`, { as: actor }), 404, 'NOT_FOUND');
      expectRestError(await base.rest('GET', `${path}/not-a-uuid`, { as: actor }), 404, 'NOT_FOUND');
    });

    test('PUT changes only the fields sent and increments the version', async () => {
      const actor = await freshActor(base);
      const created = await createRest(actor, await spec.fullBody(base, actor));

      const renamed = await base.rest('PUT', `${path}/${created.id}`, { as: actor, body: { name: 'Renamed' } });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toEqual({ data: { ...created, name: 'Renamed', version: 2, updatedAt: renamed.body.data.updatedAt } });
      expect(new Date(renamed.body.data.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(created.updatedAt).getTime());

      // Clearing a nullable field with null, sending the current version back.
      const cleared = await base.rest('PUT', `${path}/${created.id}`, { as: actor, body: { [spec.clearable]: null, version: 2 } });
      expect(cleared.status).toBe(200);
      expect(cleared.body.data).toEqual({ ...renamed.body.data, [spec.clearable]: null, version: 3, updatedAt: cleared.body.data.updatedAt });

      const read = await base.rest('GET', `${path}/${created.id}`, { as: actor });
      expect(read.body).toEqual({ data: cleared.body.data });
    });

    test('PUT of a record echoed back whole (system fields included) applies the change', async () => {
      const actor = await freshActor(base);
      const created = await createRest(actor, await spec.fullBody(base, actor));
      const res = await base.rest('PUT', `${path}/${created.id}`, { as: actor, body: { ...created, name: 'Echoed' } });
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({ ...created, name: 'Echoed', version: 2, updatedAt: res.body.data.updatedAt });
    });

    test('PUT of a required field to null or empty is 400 and changes nothing', async () => {
      const actor = await freshActor(base);
      const created = await createRest(actor, await spec.fullBody(base, actor));
      expectRestValidation(await base.rest('PUT', `${path}/${created.id}`, { as: actor, body: { name: null } }), ['name']);
      expectRestValidation(await base.rest('PUT', `${path}/${created.id}`, { as: actor, body: { name: '  ' } }), ['name']);
      expect((await base.rest('GET', `${path}/${created.id}`, { as: actor })).body).toEqual({ data: created });
    });

    test('PUT of an unknown id is 404', async () => {
      const actor = await base.actor();
      expectRestError(await base.rest('PUT', `${path}/${NO_SUCH_ID}`, { as: actor, body: { name: 'X' } }), 404, 'NOT_FOUND');
    });

    test('DELETE answers 204 with no body; afterwards GET, PUT and DELETE are 404', async () => {
      const actor = await freshActor(base);
      const created = await createRest(actor, await spec.fullBody(base, actor));
      const del = await base.rest('DELETE', `${path}/${created.id}`, { as: actor });
      expect(del.status).toBe(204);
      expect(del.body).toBeUndefined();
      expect(await rows(base, table, actor.companyId)).toBe(0);
      expectRestError(await base.rest('GET', `${path}/${created.id}`, { as: actor }), 404, 'NOT_FOUND');
      expectRestError(await base.rest('PUT', `${path}/${created.id}`, { as: actor, body: { name: 'X' } }), 404, 'NOT_FOUND');
      expectRestError(await base.rest('DELETE', `${path}/${created.id}`, { as: actor }), 404, 'NOT_FOUND');
    });
  });

  describe(`${typeName}: GraphQL CRUD`, () => {
    const createMutation = `mutation Create($input: ${typeName}CreateInput!) { create${typeName}(input: $input) { ${selection} } }`;
    const updateMutation = `mutation Update($id: ID!, $input: ${typeName}UpdateInput!) { update${typeName}(id: $id, input: $input) { ${selection} } }`;
    const deleteMutation = `mutation Delete($id: ID!) { delete${typeName}(id: $id) }`;
    const oneQuery = `query One($id: ID!) { ${singular}(id: $id) { ${selection} } }`;
    const listQuery = `query List($page: Int, $limit: Int) { ${plural}(page: $page, limit: $limit) { items { ${selection} } total page limit } }`;

    test('create, read one, list, partial update, delete', async () => {
      const actor = await freshActor(base);
      const body = await spec.fullBody(base, actor);

      const created = gqlData(await base.gql(createMutation, { input: spec.graphqlInput(body) }, { as: actor }))[`create${typeName}`];
      expect(created).toEqual(spec.toGraphql({ ...body, id: created.id, createdAt: created.createdAt, updatedAt: created.updatedAt, createdBy: actor.userId, version: 1 }));
      expectSystemFields(created, actor, 1);
      expect(await rows(base, table, actor.companyId)).toBe(1);

      // The same record over REST.
      const rest = await base.rest('GET', `${path}/${created.id}`, { as: actor });
      expect(spec.toGraphql(rest.body.data)).toEqual(created);

      const one = gqlData(await base.gql(oneQuery, { id: created.id }, { as: actor }))[singular];
      expect(one).toEqual(created);

      const second = gqlData(await base.gql(createMutation, { input: spec.graphqlInput(spec.minimalBody('Aardvark')) }, { as: actor }))[`create${typeName}`];
      const list = gqlData(await base.gql(listQuery, {}, { as: actor }))[plural];
      expect(list).toEqual({ items: [second, created], total: 2, page: 1, limit: 20 });
      const paged = gqlData(await base.gql(listQuery, { page: 2, limit: 1 }, { as: actor }))[plural];
      expect(paged).toEqual({ items: [created], total: 2, page: 2, limit: 1 });

      const updated = gqlData(await base.gql(updateMutation, { id: created.id, input: { name: 'Renamed', version: 1 } }, { as: actor }))[`update${typeName}`];
      expect(updated).toEqual({ ...created, name: 'Renamed', version: 2, updatedAt: updated.updatedAt });

      const deleted = gqlData(await base.gql(deleteMutation, { id: created.id }, { as: actor }));
      expect(deleted).toEqual({ [`delete${typeName}`]: created.id });
      expect(gqlData(await base.gql(oneQuery, { id: created.id }, { as: actor }))).toEqual({ [singular]: null });
      expect(await rows(base, table, actor.companyId)).toBe(1);
      const again = await base.gql(deleteMutation, { id: created.id }, { as: actor });
      expectGqlError(again, 'NOT_FOUND', [`delete${typeName}`]);
      const missing = await base.gql(updateMutation, { id: created.id, input: { name: 'X' } }, { as: actor });
      expectGqlError(missing, 'NOT_FOUND', [`update${typeName}`]);
    });

    test('list limits outside 1..100 are VALIDATION_FAILED', async () => {
      const actor = await base.actor();
      expectGqlValidation(await base.gql(listQuery, { limit: 0 }, { as: actor }), [plural], ['limit']);
      expectGqlValidation(await base.gql(listQuery, { limit: 101 }, { as: actor }), [plural], ['limit']);
    });
  });

  describe(`${typeName}: permissions`, () => {
    test('REST: each route is 403 without its permission and allowed with only it', async () => {
      const owner = await base.actor();
      const record = await createRest(owner, await spec.fullBody(base, owner));
      const before = await rows(base, table);

      // GET list and GET one: basic.<family>.view
      const noView = await base.actor(allBut(perm('view')));
      expectRestError(await base.rest('GET', path, { as: noView }), 403, 'FORBIDDEN');
      expectRestError(await base.rest('GET', `${path}/${record.id}`, { as: noView }), 403, 'FORBIDDEN');
      const onlyView = await base.actor([perm('view')]);
      expect((await base.rest('GET', path, { as: onlyView })).status).toBe(200);
      expect((await base.rest('GET', `${path}/${record.id}`, { as: onlyView })).body).toEqual({ data: record });

      // POST: .create
      const noCreate = await base.actor(allBut(perm('create')));
      expectRestError(await base.rest('POST', path, { as: noCreate, body: spec.minimalBody('Nope') }), 403, 'FORBIDDEN');
      expect(await rows(base, table)).toBe(before);
      const onlyCreate = await base.actor([perm('create')]);
      const created = await base.rest('POST', path, { as: onlyCreate, body: spec.minimalBody('Allowed') });
      expect(created.status).toBe(201);
      expect(created.body.data.name).toBe('Allowed');
      expect(await rows(base, table)).toBe(before + 1);

      // PUT: .edit
      const noEdit = await base.actor(allBut(perm('edit')));
      expectRestError(await base.rest('PUT', `${path}/${record.id}`, { as: noEdit, body: { name: 'Nope' } }), 403, 'FORBIDDEN');
      expect((await base.rest('GET', `${path}/${record.id}`, { as: owner })).body).toEqual({ data: record });
      const onlyEdit = await base.actor([perm('edit')]);
      const edited = await base.rest('PUT', `${path}/${record.id}`, { as: onlyEdit, body: { name: 'Edited' } });
      expect(edited.status).toBe(200);
      expect(edited.body.data).toEqual({ ...record, name: 'Edited', version: 2, updatedAt: edited.body.data.updatedAt });

      // DELETE: .delete
      const noDelete = await base.actor(allBut(perm('delete')));
      expectRestError(await base.rest('DELETE', `${path}/${record.id}`, { as: noDelete }), 403, 'FORBIDDEN');
      expect((await base.rest('GET', `${path}/${record.id}`, { as: owner })).status).toBe(200);
      const onlyDelete = await base.actor([perm('delete')]);
      expect((await base.rest('DELETE', `${path}/${record.id}`, { as: onlyDelete })).status).toBe(204);
      expectRestError(await base.rest('GET', `${path}/${record.id}`, { as: owner }), 404, 'NOT_FOUND');
    });

    test('GraphQL: each operation is FORBIDDEN on its path without its permission and allowed with only it', async () => {
      const owner = await base.actor();
      const record = await createRest(owner, await spec.fullBody(base, owner));
      const before = await rows(base, table);
      const input = spec.graphqlInput(spec.minimalBody('Via GraphQL'));
      const listQ = `{ ${plural} { total } }`;
      const oneQ = `query($id: ID!) { ${singular}(id: $id) { id name } }`;
      const createQ = `mutation($input: ${typeName}CreateInput!) { create${typeName}(input: $input) { __typename } }`;
      const updateQ = `mutation($id: ID!, $input: ${typeName}UpdateInput!) { update${typeName}(id: $id, input: $input) { __typename } }`;
      const deleteQ = `mutation($id: ID!) { delete${typeName}(id: $id) }`;

      const noView = await base.actor(allBut(perm('view')));
      const deniedList = await base.gql(listQ, {}, { as: noView });
      expectGqlError(deniedList, 'FORBIDDEN', [plural]);
      expect(deniedList.body.data).toBeNull();
      const deniedOne = await base.gql(oneQ, { id: record.id }, { as: noView });
      expectGqlError(deniedOne, 'FORBIDDEN', [singular]);
      expect(deniedOne.body.data).toEqual({ [singular]: null });
      const onlyView = await base.actor([perm('view')]);
      expect(gqlData(await base.gql(listQ, {}, { as: onlyView }))[plural].total).toBe(await rows(base, table, owner.companyId));
      expect(gqlData(await base.gql(oneQ, { id: record.id }, { as: onlyView }))).toEqual({ [singular]: { id: record.id, name: record.name } });

      const noCreate = await base.actor(allBut(perm('create')));
      expectGqlError(await base.gql(createQ, { input }, { as: noCreate }), 'FORBIDDEN', [`create${typeName}`]);
      expect(await rows(base, table)).toBe(before);
      const onlyCreate = await base.actor([perm('create')]);
      expect(gqlData(await base.gql(createQ, { input }, { as: onlyCreate }))).toEqual({ [`create${typeName}`]: { __typename: typeName } });
      expect(await rows(base, table)).toBe(before + 1);

      const noEdit = await base.actor(allBut(perm('edit')));
      expectGqlError(await base.gql(updateQ, { id: record.id, input: { name: 'Nope' } }, { as: noEdit }), 'FORBIDDEN', [`update${typeName}`]);
      expect((await base.rest('GET', `${path}/${record.id}`, { as: owner })).body).toEqual({ data: record });
      const onlyEdit = await base.actor([perm('edit')]);
      expect(gqlData(await base.gql(updateQ, { id: record.id, input: { name: 'Edited' } }, { as: onlyEdit }))).toEqual({ [`update${typeName}`]: { __typename: typeName } });
      const edited = (await base.rest('GET', `${path}/${record.id}`, { as: owner })).body.data;
      expect(edited).toEqual({ ...record, name: 'Edited', version: 2, updatedAt: edited.updatedAt });

      const noDelete = await base.actor(allBut(perm('delete')));
      expectGqlError(await base.gql(deleteQ, { id: record.id }, { as: noDelete }), 'FORBIDDEN', [`delete${typeName}`]);
      expect((await base.rest('GET', `${path}/${record.id}`, { as: owner })).status).toBe(200);
      const onlyDelete = await base.actor([perm('delete')]);
      expect(gqlData(await base.gql(deleteQ, { id: record.id }, { as: onlyDelete }))).toEqual({ [`delete${typeName}`]: record.id });
      expectRestError(await base.rest('GET', `${path}/${record.id}`, { as: owner }), 404, 'NOT_FOUND');
    });
  });

  describe(`${typeName}: another company`, () => {
    test('REST: company B cannot read, list, update or delete A’s record (404), which stays unchanged', async () => {
      const a = await base.actor();
      const b = await base.actor(undefined, { company: base.companyB });
      const record = await createRest(a, await spec.fullBody(base, a));
      const mine = await createRest(b, spec.minimalBody('B own'));

      expectRestError(await base.rest('GET', `${path}/${record.id}`, { as: b }), 404, 'NOT_FOUND');
      expectRestError(await base.rest('PUT', `${path}/${record.id}`, { as: b, body: { name: 'Hijacked' } }), 404, 'NOT_FOUND');
      expectRestError(await base.rest('PUT', `${path}/${record.id}`, { as: b, body: { name: 'Hijacked', version: 1 } }), 404, 'NOT_FOUND');
      expectRestError(await base.rest('DELETE', `${path}/${record.id}`, { as: b }), 404, 'NOT_FOUND');

      const listB = await base.rest('GET', `${path}?limit=100`, { as: b });
      expect(listB.status).toBe(200);
      expect(listB.body.data.map((r: any) => r.id)).toContain(mine.id);
      expect(listB.body.data.map((r: any) => r.id)).not.toContain(record.id);
      expect(listB.body.meta.total).toBe(await rows(base, table, base.companyB));

      expect((await base.rest('GET', `${path}/${record.id}`, { as: a })).body).toEqual({ data: record });
      // …and A cannot reach B's either.
      expectRestError(await base.rest('GET', `${path}/${mine.id}`, { as: a }), 404, 'NOT_FOUND');
    });

    test('GraphQL: company B gets null for A’s record, NOT_FOUND on update and delete, and never lists it', async () => {
      const a = await base.actor();
      const b = await base.actor(undefined, { company: base.companyB });
      const record = await createRest(a, await spec.fullBody(base, a));

      expect(gqlData(await base.gql(`query($id: ID!) { ${singular}(id: $id) { id } }`, { id: record.id }, { as: b }))).toEqual({ [singular]: null });
      const upd = await base.gql(`mutation($id: ID!) { update${typeName}(id: $id, input: { name: "Hijacked" }) { id } }`, { id: record.id }, { as: b });
      expectGqlError(upd, 'NOT_FOUND', [`update${typeName}`]);
      const del = await base.gql(`mutation($id: ID!) { delete${typeName}(id: $id) }`, { id: record.id }, { as: b });
      expectGqlError(del, 'NOT_FOUND', [`delete${typeName}`]);
      const list = gqlData(await base.gql(`{ ${plural}(limit: 100) { items { id } total } }`, {}, { as: b }))[plural];
      expect(list.items.map((r: any) => r.id)).not.toContain(record.id);
      expect(list.total).toBe(await rows(base, table, base.companyB));

      expect((await base.rest('GET', `${path}/${record.id}`, { as: a })).body).toEqual({ data: record });
    });
  });

  describe(`${typeName}: versions`, () => {
    test('PUT with a stale version is 409 CONFLICT and changes nothing', async () => {
      const actor = await base.actor();
      const created = await createRest(actor, await spec.fullBody(base, actor));
      const first = await base.rest('PUT', `${path}/${created.id}`, { as: actor, body: { name: 'First', version: 1 } });
      expect(first.status).toBe(200);
      expect(first.body.data.version).toBe(2);

      const stale = await base.rest('PUT', `${path}/${created.id}`, { as: actor, body: { name: 'Second', version: 1 } });
      const error = expectRestError(stale, 409, 'CONFLICT');
      expect(error.details).toEqual([{ field: 'version', message: expect.any(String) }]);
      expect((await base.rest('GET', `${path}/${created.id}`, { as: actor })).body).toEqual({ data: first.body.data });

      const gql = await base.gql(`mutation($id: ID!) { update${typeName}(id: $id, input: { name: "Third", version: 1 }) { id } }`, { id: created.id }, { as: actor });
      expectGqlError(gql, 'CONFLICT', [`update${typeName}`]);
      expect((await base.rest('GET', `${path}/${created.id}`, { as: actor })).body).toEqual({ data: first.body.data });
    });

    test('of five concurrent PUTs holding the same version exactly one wins; the others are 409', async () => {
      const actor = await base.actor();
      const created = await createRest(actor, await spec.fullBody(base, actor));
      const answers = await Promise.all(
        Array.from({ length: 5 }, (_, i) => base.rest('PUT', `${path}/${created.id}`, { as: actor, body: { name: `Writer ${i}`, version: 1 } })),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409, 409]);
      for (const a of answers.filter((x) => x.status === 409)) expectRestError(a, 409, 'CONFLICT');
      const winner = answers.find((a) => a.status === 200)!.body.data;
      expect(winner.version).toBe(2);
      expect((await base.rest('GET', `${path}/${created.id}`, { as: actor })).body).toEqual({ data: winner });
    });

    test('DELETE with a stale ?version is 409 CONFLICT and deletes nothing', async () => {
      const actor = await base.actor();
      const created = await createRest(actor, await spec.fullBody(base, actor));
      await base.rest('PUT', `${path}/${created.id}`, { as: actor, body: { name: 'Changed' } });
      expectRestError(await base.rest('DELETE', `${path}/${created.id}?version=1`, { as: actor }), 409, 'CONFLICT');
      expect((await base.rest('GET', `${path}/${created.id}`, { as: actor })).status).toBe(200);
      expect((await base.rest('DELETE', `${path}/${created.id}?version=2`, { as: actor })).status).toBe(204);
    });
  });
}
