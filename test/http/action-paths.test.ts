import { useTestBase } from '../support/harness';

/**
 * Action paths have one spelling, kebab-case (`/open-sales`, `/sold-out`, like `/read-all`); the
 * camelCase spellings callers knew (`/openSales`, `/soldOut`) answer the same, as deprecated aliases.
 */
const base = useTestBase();

async function draftEvent(as: Awaited<ReturnType<typeof base.caller>>, name: string): Promise<string> {
  const res = await base.rest('POST', '/api/events', { as, body: { name, startsAt: '2031-05-01T20:00:00Z' } });
  expect(res.status).toBe(201);
  return res.body.data.id;
}

test.each([
  ['kebab-case', 'open-sales', 'sold-out'],
  ['camelCase (deprecated)', 'openSales', 'soldOut'],
])('%s paths move the event the same way', async (_spelling, open, soldOut) => {
  const admin = await base.caller();
  const id = await draftEvent(admin, `Spelling ${open}`);
  const opened = await base.rest('POST', `/api/events/${id}/${open}`, { as: admin, body: {} });
  expect({ status: opened.status, state: opened.body.data?.status }).toEqual({ status: 200, state: 'on_sale' });
  const sold = await base.rest('POST', `/api/events/${id}/${soldOut}`, { as: admin });
  expect({ status: sold.status, state: sold.body.data?.status }).toEqual({ status: 200, state: 'sold_out' });
  // From sold_out, selling out again is refused on either spelling.
  for (const path of ['sold-out', 'soldOut']) expect((await base.rest('POST', `/api/events/${id}/${path}`, { as: admin })).status).toBe(409);
});

test('both spellings need the same permission', async () => {
  const admin = await base.caller();
  const viewer = await base.caller(['basic.event.view']);
  const id = await draftEvent(admin, 'Spelling permission');
  for (const path of ['open-sales', 'openSales']) expect((await base.rest('POST', `/api/events/${id}/${path}`, { as: viewer })).status).toBe(403);
});
