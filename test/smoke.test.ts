import { startTestBase, TestBase } from './support/harness';

let base: TestBase;
beforeAll(async () => {
  base = await startTestBase();
});
afterAll(() => base.close());

test('smoke', async () => {
  const admin = await base.actor();
  const created = await base.rest('POST', '/api/agencies', { as: admin, body: { key: 'agency-001', name: 'Example Agency' } });
  console.log(created.status, created.body);
  const list = await base.rest('GET', '/api/agencies', { as: admin });
  console.log(list.status, JSON.stringify(list.body));
  const g = await base.gql('{ agencies { total items { id key name createdAt } } }', {}, { as: admin });
  console.log(JSON.stringify(g.body));
  const s = await base.gql('{ _service { sdl } }');
  require("fs").writeFileSync("/tmp/sdl.graphql", s.body?.data?._service?.sdl);
});
