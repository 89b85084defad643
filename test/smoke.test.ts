import { startTestBase, TestBase } from './support/harness';

let base: TestBase;
beforeAll(async () => {
  base = await startTestBase();
});
afterAll(() => base.close());

test('smoke', async () => {
  const admin = await base.actor();
  const ag = await base.rest('POST', '/api/agencies', { as: admin, body: { key: 'agency-001', name: 'Example Agency' } });
  const ar = await base.rest('POST', '/api/artists', { as: admin, body: { name: 'Band', agencyId: ag.body.data.id, genres: ['rock', 'rock'], defaultFee: 150000 } });
  console.log(ar.status, JSON.stringify(ar.body));
  const ar2 = await base.rest('POST', '/api/artists', { as: admin, body: { name: 'Band', agencyId: '00000000-0000-4000-8000-000000000000' } });
  console.log(ar2.status, JSON.stringify(ar2.body));
  const v = await base.rest('POST', '/api/venues', { as: admin, body: { name: 'Hall', capacity: 0, timezone: 'Mars/Base' } });
  console.log(v.status, JSON.stringify(v.body));
  const v2 = await base.rest('POST', '/api/venues', { as: admin, body: { name: 'Hall', capacity: 500, address: { city: 'Berlin', country: 'de' } } });
  console.log(v2.status, JSON.stringify(v2.body));
  const vd = await base.rest('POST', '/api/vendors', { as: admin, body: { name: 'PA Co', category: 'sound' } });
  console.log(vd.status, JSON.stringify(vd.body));
  const del = await base.rest('DELETE', `/api/agencies/${ag.body.data.id}`, { as: admin });
  console.log(del.status, JSON.stringify(del.body));
  const c = await base.rest('GET', '/api/companies/current', { as: admin });
  console.log(c.status, JSON.stringify(c.body));
  const g = await base.gql('{ agencies { items { name artists { name agency { key } } } } artists { items { name genres agency { name } } } vendors(filter: {category: SOUND}) { total items { category } } venues(filter: {city: "berlin"}) { total items { address { city } } } company { currency timezone } }', {}, { as: admin });
  console.log(JSON.stringify(g.body));
});
