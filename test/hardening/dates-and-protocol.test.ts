import type { Caller } from '../support/harness';
import { useTestBase } from '../support/harness';
import { expectGqlError, expectGqlRequestError, expectGqlValidation, expectRestError, expectRestValidation, gqlData } from '../support/assertions';
import { createVia, rows } from '../support/fixtures';

/**
 * Dates PostgreSQL does not store (year 0000, five-digit years) and days that do not exist are
 * validation errors naming the field on every surface; a broken multipart body to /graphql and a
 * subscription are client errors in GraphQL's shape. Each used to answer 500 (or 200 with an
 * internal error).
 */
const base = useTestBase();

let admin: Caller;
let venueId: string;
beforeAll(async () => {
  admin = await base.caller();
  venueId = (await createVia(base, admin, '/api/venues', { name: 'Hall' })).id;
});

const BAD_DAYS = ['0000-01-01', '10000-01-01', '2026-02-30'];
const BAD_INSTANTS = ['0000-01-01T00:00:00Z', '0000-06-01T12:00:00+02:00'];

describe('days and instants outside what the database stores are 400 naming the field', () => {
  test.each(BAD_DAYS)('REST: %s in a body, a filter, the ladder and the dashboard', async (day) => {
    const before = await rows(base, 'avails', admin.companyId);
    expectRestValidation(await base.rest('POST', '/api/avails', { as: admin, body: { venueId, date: day } }), ['date']);
    expectRestValidation(await base.rest('GET', `/api/avails?from=${day}`, { as: admin }), ['from']);
    expectRestValidation(await base.rest('GET', `/api/events?from=${day}`, { as: admin }), ['from']);
    expectRestValidation(await base.rest('GET', `/api/events?to=${day}`, { as: admin }), ['to']);
    expectRestValidation(await base.rest('GET', `/api/avails/ladder?venueId=${venueId}&date=${day}`, { as: admin }), ['date']);
    expectRestValidation(await base.rest('GET', `/api/dashboard?from=${day}`, { as: admin }), ['from']);
    expectRestValidation(await base.rest('GET', `/api/dashboard?from=2026-01-01&to=${day}`, { as: admin }), ['to']);
    expect(await rows(base, 'avails', admin.companyId)).toBe(before);
  });

  test.each(BAD_INSTANTS)('REST: the instant %s in a body and a filter', async (at) => {
    expectRestValidation(await base.rest('POST', '/api/avails', { as: admin, body: { venueId, date: '2030-01-01', expiresAt: at } }), ['expiresAt']);
    expectRestValidation(await base.rest('POST', '/api/events', { as: admin, body: { name: 'Show', startsAt: at } }), ['startsAt']);
    expectRestValidation(await base.rest('GET', `/api/events?from=${encodeURIComponent(at)}`, { as: admin }), ['from']);
    expectRestValidation(await base.rest('GET', `/api/dashboard?from=${encodeURIComponent(at)}`, { as: admin }), ['from']);
  });

  test('the last day PostgreSQL stores as this service writes it is taken: 9999-12-31', async () => {
    const created = await base.rest('POST', '/api/avails', { as: admin, body: { venueId, date: '9999-12-31' } });
    expect(created.status).toBe(201);
    expect((await base.rest('GET', '/api/events?from=0001-01-01&to=9999-12-31', { as: admin })).status).toBe(200);
  });

  test('GraphQL: arguments, input fields, filters and date-time scalars', async () => {
    // 2026-02-30 and 10000-01-01 are refused by the LocalDate scalar itself (BAD_USER_INPUT naming the variable).
    for (const day of BAD_DAYS) {
      const create = await base.gql('mutation($input: AvailCreateInput!) { createAvail(input: $input) { id } }', { input: { venueId, date: day } }, { as: admin });
      expectRefusedInput(create, 'createAvail', 'date');
      const ladder = await base.gql('query($v: ID, $d: LocalDate!) { ladder(venueId: $v, date: $d) { id } }', { v: venueId, d: day }, { as: admin });
      expectRefusedInput(ladder, 'ladder', 'date');
      const dashboard = await base.gql('query($d: String) { dashboard(from: $d) { from } }', { d: day }, { as: admin });
      expectGqlValidation(dashboard, ['dashboard'], ['from']);
      const inline = await base.gql(`{ avails(filter: { from: "${day}" }) { total } }`, undefined, { as: admin });
      expectRefusedInput(inline, 'avails', 'from');
    }
    for (const at of BAD_INSTANTS) {
      const events = await base.gql(`{ events(filter: { from: "${at}" }) { total } }`, undefined, { as: admin });
      expectGqlValidation(events, ['events'], ['from']);
      const create = await base.gql('mutation($input: EventCreateInput!) { createEvent(input: $input) { id } }', { input: { name: 'Show', startsAt: at } }, { as: admin });
      expectGqlValidation(create, ['createEvent'], ['startsAt']);
    }
    expect(gqlData(await base.gql('query($v: ID) { ladder(venueId: $v, date: "9999-12-31") { holdLevel } }', { v: venueId }, { as: admin }))).toEqual({
      ladder: [{ holdLevel: 1 }],
    });
  });
});

describe('a value PostgreSQL refuses as data (SQLSTATE class 22) is a client error, as the last line', () => {
  // A trigger stands in for any value a validator might let through: it refuses notes that ask it to.
  beforeAll(async () => {
    const s = `"${base.schema}"`;
    await base.sql(`CREATE FUNCTION ${s}.refuse_as_data() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.note LIKE 'raise-%' THEN RAISE EXCEPTION 'value "%" refused', NEW.note USING ERRCODE = substr(NEW.note, 7); END IF;
        RETURN NEW;
      END $$`);
    await base.sql(`CREATE TRIGGER refuse_as_data BEFORE INSERT ON ${s}.avails FOR EACH ROW EXECUTE FUNCTION ${s}.refuse_as_data()`);
  });

  test.each(['22008', '22003', '22P02', '22007'])('%s: 400 BAD_REQUEST on both surfaces, nothing stored', async (sqlState) => {
    const before = await rows(base, 'avails', admin.companyId);
    const body = { venueId, date: '2031-05-05', note: `raise-${sqlState}` };
    expectRestError(await base.rest('POST', '/api/avails', { as: admin, body }), 400, 'BAD_REQUEST');
    const gql = await base.gql('mutation($input: AvailCreateInput!) { createAvail(input: $input) { id } }', { input: body }, { as: admin });
    expectGqlError(gql, 'BAD_REQUEST', ['createAvail']);
    expect(gql.body.errors?.[0].message).not.toContain('raise-');
    expect(await rows(base, 'avails', admin.companyId)).toBe(before);
  });
});

/** Refused before it runs by the scalar (400 naming the value), or by the field's validator naming `field`. */
function expectRefusedInput(answer: Awaited<ReturnType<typeof base.gql>>, path: string, field: string): void {
  if (answer.status === 400) {
    expectGqlRequestError(answer, 400, answer.body.errors?.[0].extensions?.code === 'BAD_USER_INPUT' ? 'BAD_USER_INPUT' : 'GRAPHQL_VALIDATION_FAILED');
    expect(answer.body.errors?.[0].message).toMatch(/LocalDate/);
    return;
  }
  expectGqlValidation(answer, [path], [field]);
}

describe('protocol refusals on /graphql are 400 in GraphQL’s shape', () => {
  const preflight = () => ({ ...admin.headers, 'apollo-require-preflight': 'true' });

  test.each([
    ['cut short', '--b\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"query":"{ __typename }"}\r\n--b\r\nContent-Disp'],
    ['without a closing boundary', '--b\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"query":"{ __typename }"}'],
    ['with a malformed part header', '--b\r\nContent-Disposition form-data\r\n\r\nx\r\n--b--\r\n'],
  ])('a multipart body %s', async (_kind, body) => {
    const res = await fetch(`${base.url}/graphql`, { method: 'POST', headers: { ...preflight(), 'content-type': 'multipart/form-data; boundary=b' }, body });
    const answer = { status: res.status, headers: res.headers, body: await res.json() };
    expectGqlRequestError(answer, 400, 'BAD_REQUEST');
  });

  test('a multipart Content-Type without a boundary', async () => {
    const res = await fetch(`${base.url}/graphql`, { method: 'POST', headers: { ...preflight(), 'content-type': 'multipart/form-data' }, body: 'x' });
    expectGqlRequestError({ status: res.status, headers: res.headers, body: await res.json() }, 400, 'BAD_REQUEST');
  });

  test('a subscription over HTTP is refused with a clear message (it is served over the WebSocket), on POST and GET', async () => {
    const post = await base.gql('subscription { notificationAdded { id } }', undefined, { as: admin });
    expectGqlRequestError(post, 400, 'GRAPHQL_VALIDATION_FAILED');
    expect(post.body.errors?.[0].message).toMatch(/subscriptions are not supported over HTTP: open a WebSocket/i);
    const res = await fetch(`${base.url}/graphql?query=${encodeURIComponent('subscription S { notificationAdded { id } }')}`, { headers: preflight() });
    expectGqlRequestError({ status: res.status, headers: res.headers, body: await res.json() }, 400, 'GRAPHQL_VALIDATION_FAILED');
  });
});
