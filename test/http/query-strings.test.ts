import { useTestBase } from '../support/harness';
import { expectRestError } from '../support/assertions';

/**
 * A route takes the query parameters it documents and nothing else, each once as `name=value`: a
 * typo would otherwise answer a whole unfiltered list. The refusal is the usual per-field
 * VALIDATION_FAILED, naming the parameter and the ones the route takes; nothing changes.
 */
const base = useTestBase();
const ARTIST_PARAMS = 'q, agencyId, genre, page, limit, cursor, format';

test('an unknown parameter is 400 naming it and listing the ones the route takes', async () => {
  const admin = await base.caller();
  const res = await base.rest('GET', '/api/artists?bogus=1', { as: admin });
  expectRestError(res, 400, 'VALIDATION_FAILED');
  expect(res.body.error.details).toEqual([{ field: 'bogus', message: `is not a query parameter of this route; this route takes ${ARTIST_PARAMS}` }]);
});

test.each([
  ['from[not]=x', '/api/events', 'from[not]', 'is not a form from takes: send from=value once'],
  ['page[]=1', '/api/artists', 'page[]', 'is not a form page takes: send page=value once'],
])('a known parameter in another shape (%s) is 400 naming it', async (query, path, field, message) => {
  const admin = await base.caller();
  const res = await base.rest('GET', `${path}?${query}`, { as: admin });
  expectRestError(res, 400, 'VALIDATION_FAILED');
  expect(res.body.error.details).toHaveLength(1);
  expect(res.body.error.details[0]).toEqual({ field, message: expect.stringContaining(message) });
  expect(res.body.error.details[0].message).toMatch(/this route takes .*\bpage\b/);
});

test('a parameter given twice is 400: the route reads one value', async () => {
  const admin = await base.caller();
  const res = await base.rest('GET', '/api/artists?page=1&page=2', { as: admin });
  expectRestError(res, 400, 'VALIDATION_FAILED');
  expect(res.body.error.details).toEqual([{ field: 'page', message: 'must be given once, as page=value' }]);
});

test('every offending parameter is named, each once', async () => {
  const admin = await base.caller();
  const res = await base.rest('GET', '/api/artists?a=1&q=x&b=2', { as: admin });
  expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(['a', 'b']);
});

test('a write with a parameter it does not take is refused and changes nothing', async () => {
  const admin = await base.caller();
  const res = await base.rest('POST', '/api/artists?dryRun=true', { as: admin, body: { name: 'Query Strict Band' } });
  expectRestError(res, 400, 'VALIDATION_FAILED');
  expect(res.body.error.details).toEqual([{ field: 'dryRun', message: 'is not a query parameter of this route; this route takes none' }]);
  const list = await base.rest('GET', `/api/artists?q=${encodeURIComponent('Query Strict Band')}`, { as: admin });
  expect(list.body.meta.total).toBe(0);
});

test('the parameters a route takes still work, an empty value still means "not given"', async () => {
  const admin = await base.caller();
  expect((await base.rest('POST', '/api/artists', { as: admin, body: { name: 'Known Param Band' } })).status).toBe(201);
  const found = await base.rest('GET', '/api/artists?q=Known+Param&agencyId=&genre=&page=1&limit=5', { as: admin });
  expect(found.status).toBe(200);
  expect(found.body.data.map((a: { name: string }) => a.name)).toEqual(['Known Param Band']);
});

test('the public document refuses a parameter too (it takes none)', async () => {
  const res = await base.rest('GET', '/api/openapi.json?format=yaml');
  expectRestError(res, 400, 'VALIDATION_FAILED');
  expect(res.body.error.details).toEqual([{ field: 'format', message: 'is not a query parameter of this route; this route takes none' }]);
});
