import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeRequirement } from '../../src/permissions/catalog';
import { useTestBase } from '../support/harness';

/**
 * The REST description (schema/openapi.json, GET /api/openapi.json) is made from the route table
 * and validators the service runs on; these checks hold it to what the service really answers.
 */
const base = useTestBase();
let doc: any; // eslint-disable-line @typescript-eslint/no-explicit-any
beforeAll(async () => {
  doc = JSON.parse(readFileSync(join(__dirname, '..', '..', 'schema', 'openapi.json'), 'utf8'));
});

test('served to members only, and the same as the committed copy', async () => {
  expect((await base.rest('GET', '/api/openapi.json')).status).toBe(401);
  const member = await base.actor([]);
  const served = await base.rest('GET', '/api/openapi.json', { as: member });
  expect(served.status).toBe(200);
  expect(served.body).toEqual(doc);
  expect(doc.openapi).toBe('3.1.0');
});

test('every mounted route is described, with the permission it really checks', () => {
  const described = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops as Record<string, { 'x-permission': string }>).map(([method, op]) => `${method.toUpperCase()} ${path} ${op['x-permission']}`),
  );
  const mounted = base.server.routes.map(
    (r) => `${r.method} /api${r.path.replace(/:(\w+)/g, '{$1}')} ${describeRequirement(r.requirement)}`,
  );
  expect(described.sort()).toEqual(mounted.sort());
});

test.each([
  ['Agency', '/api/agencies', { key: 'doc-check', name: 'Doc Check' }],
  ['Artist', '/api/artists', { name: 'Doc Band' }],
  ['Venue', '/api/venues', { name: 'Doc Hall', address: { city: 'Oslo' } }],
  ['Vendor', '/api/vendors', { name: 'Doc PA', category: 'sound' }],
])('%s: the documented record has exactly the fields a real answer has', async (type, path, body) => {
  const admin = await base.actor();
  const created = await base.rest('POST', path, { as: admin, body });
  expect(created.status).toBe(201);
  expect(Object.keys(created.body.data).sort()).toEqual(Object.keys(doc.components.schemas[type].properties).sort());
  for (const field of doc.components.schemas[type].required) expect(created.body.data[field]).not.toBeNull();
});

test('the company record and the create bodies say what is required', async () => {
  const admin = await base.actor();
  const company = await base.rest('GET', '/api/companies/current', { as: admin });
  expect(Object.keys(company.body.data).sort()).toEqual(Object.keys(doc.components.schemas.Company.properties).sort());
  const createAgency = doc.paths['/api/agencies'].post.requestBody.content['application/json'].schema;
  expect(createAgency.required.sort()).toEqual(['key', 'name']);
  expect(createAgency.additionalProperties).toBe(false);
  expect(doc.paths['/api/agencies'].get.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['cursor', 'limit', 'page', 'q']);
});
