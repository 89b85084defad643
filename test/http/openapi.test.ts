import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describeRequirement } from '../../src/permissions/catalog';
import { useTestBase } from '../support/harness';

/**
 * The REST description (schema/openapi.json, GET /api/openapi.json) is made from the route table
 * and declarations the service runs on; these checks hold it to what generators and portals need
 * and to what the service really answers (every REST answer of the suite is also validated against
 * it: test/support/openapi-validation.ts).
 */
const base = useTestBase();
const ROOT = join(__dirname, '..', '..');
const doc: any = JSON.parse(readFileSync(join(ROOT, 'schema', 'openapi.json'), 'utf8')); // eslint-disable-line @typescript-eslint/no-explicit-any
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const operations = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, item]) => // eslint-disable-line @typescript-eslint/no-explicit-any
  Object.entries(item)
    .filter(([method]) => METHODS.includes(method))
    .map(([method, op]) => ({ path, method, op, label: `${method.toUpperCase()} ${path}` })),
);

test('served to anyone with no token (and Auth is not asked), the same as the committed copy', async () => {
  const before = base.auth.calls;
  const served = await base.rest('GET', '/api/openapi.json');
  expect(served.status).toBe(200);
  expect(served.body).toEqual(doc);
  expect(base.auth.calls - before).toBe(0);
  expect(doc.openapi).toBe('3.1.0');
  expect(doc.paths['/api/openapi.json'].get.security).toEqual([]);
});

test("Redocly's recommended rules find no warning and no error", async () => {
  const cli = require.resolve('@redocly/cli/bin/cli.js');
  // The repository's redocly.yaml: the recommended rules, and descriptions and tags on top.
  const { stdout } = await promisify(execFile)(process.execPath, [cli, 'lint', 'schema/openapi.json', '--format=json', '--max-problems=50'], { cwd: ROOT });
  const report = JSON.parse(stdout);
  expect(report.problems.map((p: { ruleId: string; message: string }) => `${p.ruleId}: ${p.message}`)).toEqual([]);
  expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
});

test('every mounted route is described, with the permission it really checks', () => {
  const described = operations.map(({ method, path, op }) => `${method.toUpperCase()} ${path} ${op['x-permission']}`);
  const mounted = base.server.routes.map(
    // A secret link (a calendar feed's URL) is mounted from the root, outside /api.
    (r) => `${r.method} ${r.root ? '' : '/api'}${r.path.replace(/:(\w+)/g, '{$1}')} ${describeRequirement(r.requirement)}`,
  );
  expect(described.sort()).toEqual(mounted.sort());
});

test('operationIds: one per operation, unique, named from the family and the operation', () => {
  const ids = operations.map(({ op }) => op.operationId);
  expect(ids.filter((id) => typeof id !== 'string' || !/^[a-z][A-Za-z]+$/.test(id))).toEqual([]);
  expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  const id = (method: string, path: string) => doc.paths[path][method].operationId;
  expect({
    list: id('get', '/api/artists'),
    one: id('get', '/api/artists/{id}'),
    create: id('post', '/api/artists'),
    update: id('put', '/api/artists/{id}'),
    delete: id('delete', '/api/artists/{id}'),
    action: id('post', '/api/avails/{id}/confirm'),
    nestedList: id('get', '/api/events/{eventId}/tickets'),
    sale: id('post', '/api/events/{eventId}/tickets/{id}/sales'),
    history: id('get', '/api/artists/{id}/history'),
    kebab: id('post', '/api/events/{id}/open-sales'),
    alias: id('post', '/api/events/{id}/openSales'),
  }).toEqual({
    list: 'listArtists',
    one: 'getArtist',
    create: 'createArtist',
    update: 'updateArtist',
    delete: 'deleteArtist',
    action: 'confirmAvail',
    nestedList: 'listEventTickets',
    sale: 'recordTicketSale',
    history: 'listArtistHistory',
    kebab: 'openSalesEvent',
    alias: 'openSalesEventDeprecated',
  });
});

test('every operation has one described tag, a summary, a description naming its permission, and described parameters', () => {
  const tags = new Map((doc.tags as { name: string; description: string }[]).map((t) => [t.name, t.description]));
  const problems = operations.flatMap(({ label, op }) => [
    ...(op.tags?.length === 1 && tags.get(op.tags[0]) ? [] : [`${label}: tag`]),
    ...(op.summary ? [] : [`${label}: summary`]),
    ...(typeof op.description === 'string' && op.description.includes(op['x-permission'] === 'public' ? 'Public' : op['x-permission'].split(' + ')[0]) ? [] : [`${label}: description`]),
    ...(op.parameters ?? []).filter((p: { description?: string }) => !p.description).map((p: { name: string }) => `${label}: parameter ${p.name}`),
  ]);
  expect(problems).toEqual([]);
  expect(doc.paths['/api/events/{id}/open-sales'].post.description).toMatch(/from `draft`, `announced`, `sold_out` to `on_sale`; from any other it is refused \(409/);
  expect(doc.paths['/api/events/{id}/open-sales'].post.description).toContain('Needs `basic.event.edit`.');
});

test('every request body and JSON answer is a named component', () => {
  const inline: string[] = [];
  for (const { label, op } of operations) {
    for (const [type, media] of Object.entries(op.requestBody?.content ?? {}) as [string, { schema: { $ref?: string } }][]) {
      if (!media.schema.$ref) inline.push(`${label} body ${type}`);
    }
    for (const [status, response] of Object.entries(op.responses) as [string, { content?: Record<string, { schema: { $ref?: string } }> }][]) {
      const json = response.content?.['application/json'];
      if (json && !json.schema.$ref) inline.push(`${label} ${status}`);
    }
  }
  expect(inline).toEqual([]);
  const body = (path: string, method: string) => doc.paths[path][method].requestBody.content['application/json'].schema.$ref;
  expect([body('/api/artists', 'post'), body('/api/artists/{id}', 'put')]).toEqual(['#/components/schemas/ArtistCreate', '#/components/schemas/ArtistUpdate']);
  expect(doc.paths['/api/artists'].get.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/ArtistPage');
  expect(doc.paths['/api/artists/{id}'].get.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/ArtistResponse');
});

test('inputs say what they take: dates as dates, no "anything" branch, enums listed, money in minor units', () => {
  const anything: string[] = [];
  const walk = (node: unknown, where: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${where}/${i}`));
    if (!node || typeof node !== 'object') return;
    for (const key of ['anyOf', 'oneOf']) {
      for (const branch of ((node as Record<string, unknown>)[key] as object[] | undefined) ?? []) if (!Object.keys(branch).length) anything.push(where);
    }
    for (const [k, v] of Object.entries(node)) walk(v, `${where}/${k}`);
  };
  walk(doc, '#');
  expect(anything).toEqual([]);
  const schemas = doc.components.schemas;
  expect(schemas.EventCreate.properties.startsAt).toMatchObject({ type: 'string', format: 'date-time' });
  expect(schemas.AvailCreate.properties.date).toMatchObject({ type: 'string', format: 'date' });
  const dueBefore = doc.paths['/api/tasks'].get.parameters.find((p: { name: string }) => p.name === 'dueBefore');
  expect(dueBefore.schema).toEqual({ type: 'string', format: 'date-time' });
  const type = doc.paths['/api/events'].get.parameters.find((p: { name: string }) => p.name === 'type');
  expect(type.schema.enum).toEqual(['all', 'upcoming', 'past']);
  expect(schemas.Event.properties.status.enum).toContain('on_sale');
  expect(schemas.TicketCreate.properties.price).toMatchObject({ type: 'integer', format: 'int64', description: expect.stringMatching(/minor units/) });
  expect(schemas.Ticket.properties.price).toMatchObject({ type: 'integer', description: expect.stringMatching(/minor units/) });
});

test('required is what the service requires, and a route lists only the statuses it can answer', async () => {
  const ladder = Object.fromEntries(doc.paths['/api/avails/ladder'].get.parameters.map((p: { name: string; required: boolean }) => [p.name, p.required]));
  expect(ladder).toEqual({ venueId: false, stage: false, artistId: false, date: true });
  const admin = await base.caller();
  expect((await base.rest('GET', '/api/avails/ladder', { as: admin })).body.error.details).toEqual([{ field: 'date', message: 'is required' }]);

  const statuses = (method: string, path: string) => Object.keys(doc.paths[path][method].responses).sort();
  expect(statuses('get', '/api/artists')).toEqual(['200', '400', '401', '403', '503']);
  expect(statuses('get', '/api/events/{eventId}/tickets')).toEqual(['200', '400', '401', '403', '404', '503']);
  expect(statuses('get', '/api/artists/{id}')).toEqual(['200', '400', '401', '403', '404', '503']);
  expect(statuses('post', '/api/artists')).toEqual(['201', '400', '401', '403', '409', '413', '415', '503']);
  expect(statuses('get', '/api/openapi.json')).toEqual(['200', '400']);
});

test('the dashboard declares the Event objects its upcoming events hold', () => {
  const upcoming = doc.components.schemas.DashboardUpcomingEvents;
  expect(upcoming.properties.next.items).toEqual({ $ref: '#/components/schemas/Event' });
  expect(upcoming.required).toEqual([...new Set(upcoming.required)]);
});

test('file content is declared in any type it may have been uploaded with; license and servers are set', () => {
  const content = doc.paths['/api/files/{id}/content'].get.responses['200'].content;
  expect(Object.keys(content)).toEqual(['*/*']);
  expect(doc.info.license.identifier ?? doc.info.license.url).toBeTruthy();
  expect(doc.servers.length).toBeGreaterThan(0);
});

test('action paths are kebab-case; the camelCase ones are deprecated aliases of them', () => {
  const segments = operations.flatMap(({ path, op }) =>
    path.split('/').filter((s) => s && !s.startsWith('{') && s !== 'openapi.json' && !/^[a-z]+(-[a-z]+)*$/.test(s)).map((s) => ({ s, deprecated: op.deprecated === true })),
  );
  expect(segments).toEqual([
    { s: 'openSales', deprecated: true },
    { s: 'soldOut', deprecated: true },
  ]);
});

test.each([
  ['Agency', '/api/agencies', { key: 'doc-check', name: 'Doc Check' }],
  ['Artist', '/api/artists', { name: 'Doc Band' }],
  ['Venue', '/api/venues', { name: 'Doc Hall', address: { city: 'Oslo' } }],
  ['Vendor', '/api/vendors', { name: 'Doc PA', category: 'sound' }],
])('%s: the documented record has exactly the fields a real answer has', async (type, path, body) => {
  const admin = await base.caller();
  const created = await base.rest('POST', path, { as: admin, body });
  expect(created.status).toBe(201);
  expect(Object.keys(created.body.data).sort()).toEqual(Object.keys(doc.components.schemas[type].properties).sort());
  for (const field of doc.components.schemas[type].required) expect(created.body.data[field]).not.toBeNull();
});

test('the company record and the create bodies say what is required', async () => {
  const admin = await base.caller();
  const company = await base.rest('GET', '/api/companies/current', { as: admin });
  expect(Object.keys(company.body.data).sort()).toEqual(Object.keys(doc.components.schemas.Company.properties).sort());
  const createAgency = doc.components.schemas.AgencyCreate;
  expect(createAgency.required.sort()).toEqual(['key', 'name']);
  expect(createAgency.additionalProperties).toBe(false);
  expect(doc.paths['/api/agencies'].get.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['cursor', 'format', 'limit', 'page', 'q']);
});
