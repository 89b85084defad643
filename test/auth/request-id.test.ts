import { randomBytes } from 'node:crypto';
import type { Caller, Answer } from '../support/harness';
import { useTestBase } from '../support/harness';
import { AGENCIES_QUERY } from '../support/surfaces';

/**
 * rest.md: every answer carries `x-request-id` (the caller's own when sent, otherwise a new one),
 * on success and on every error; a REST error body's `error.requestId` equals the header, and so
 * does `extensions.requestId` of a GraphQL request that failed before execution.
 */
const base = useTestBase();
let member: Caller;
let viewer: Caller; // basic.agency.view only

beforeAll(async () => {
  member = await base.caller();
  viewer = await base.caller(['basic.agency.view']);
});
afterEach(() => base.auth.reset());

type Kind = 'ok' | 'rest-error' | 'gql-error' | 'gql-field-error';
type Call = (headers: Record<string, string>) => Promise<Answer>;

const missing = '00000000-0000-4000-8000-000000000001';
const scenarios: [string, number, Kind, Call][] = [
  ['GET /health', 200, 'ok', (h) => base.rest('GET', '/health', { headers: h })],
  ['REST success', 200, 'ok', (h) => base.rest('GET', '/api/agencies', { headers: { ...member.headers, ...h } })],
  ['GraphQL success', 200, 'ok', (h) => base.gql(AGENCIES_QUERY, undefined, { headers: { ...member.headers, ...h } })],
  ['GraphQL _service without token', 200, 'ok', (h) => base.gql('{ _service { sdl } }', undefined, { headers: h })],
  ['REST 401 no token', 401, 'rest-error', (h) => base.rest('GET', '/api/agencies', { headers: h })],
  ['GraphQL 401 no token', 401, 'gql-error', (h) => base.gql(AGENCIES_QUERY, undefined, { headers: h })],
  ['REST 401 garbage token', 401, 'rest-error', (h) => base.rest('GET', '/api/agencies', { headers: { authorization: 'Bearer x.y.z', 'x-org': member.companyId, ...h } })],
  ['REST 400 missing x-org', 400, 'rest-error', (h) => base.rest('GET', '/api/agencies', { headers: { authorization: member.headers.authorization, ...h } })],
  ['GraphQL 400 malformed x-org', 400, 'gql-error', (h) => base.gql(AGENCIES_QUERY, undefined, { headers: { authorization: member.headers.authorization, 'x-org': 'nope', ...h } })],
  ['REST 403 not a member', 403, 'rest-error', (h) => base.rest('GET', '/api/agencies', { headers: { ...member.headers, 'x-org': base.companyB, ...h } })],
  ['GraphQL 403 not a member', 403, 'gql-error', (h) => base.gql(AGENCIES_QUERY, undefined, { headers: { ...member.headers, 'x-org': base.companyB, ...h } })],
  ['REST 403 permission missing', 403, 'rest-error', (h) => base.rest('DELETE', `/api/agencies/${missing}`, { headers: { ...viewer.headers, ...h } })],
  ['GraphQL FORBIDDEN on a field (HTTP 200)', 200, 'gql-field-error', (h) => base.gql(`mutation { deleteAgency(id: "${missing}") }`, undefined, { headers: { ...viewer.headers, ...h } })],
  ['REST 404 record absent', 404, 'rest-error', (h) => base.rest('GET', `/api/agencies/${missing}`, { headers: { ...member.headers, ...h } })],
  ['REST 404 no such route', 404, 'rest-error', (h) => base.rest('GET', '/api/no-such-route', { headers: { ...member.headers, ...h } })],
  ['REST 400 malformed JSON', 400, 'rest-error', (h) => base.rest('POST', '/api/agencies', { headers: { ...member.headers, ...h }, rawBody: '{"key":' })],
  ['REST 400 validation', 400, 'rest-error', (h) => base.rest('POST', '/api/agencies', { headers: { ...member.headers, ...h }, body: { key: 'Bad Key!' } })],
  ['REST 410 retired group', 410, 'rest-error', (h) => base.rest('GET', '/api/users', { headers: h })],
  ['REST 503 Auth down', 503, 'rest-error', async (h) => {
    const fresh = await base.caller();
    base.auth.fault = { kind: 'status', status: 500 };
    return base.rest('GET', '/api/agencies', { headers: { ...fresh.headers, ...h } });
  }],
  ['GraphQL 503 Auth down', 503, 'gql-error', async (h) => {
    const fresh = await base.caller();
    base.auth.fault = { kind: 'status', status: 502 };
    return base.gql(AGENCIES_QUERY, undefined, { headers: { ...fresh.headers, ...h } });
  }],
];

/** The id in the body, where the answer has one. */
function bodyRequestId(answer: Answer, kind: Kind): string | undefined {
  if (kind === 'rest-error') return answer.body?.error?.requestId;
  if (kind === 'gql-error') return answer.body?.errors?.[0]?.extensions?.requestId;
  return undefined;
}

describe.each(scenarios)('%s', (_label, status, kind, call) => {
  test('echoes the x-request-id sent (header and body)', async () => {
    const sent = `req-${randomBytes(6).toString('hex')}`;
    const answer = await call({ 'x-request-id': sent });
    expect({ status: answer.status, body: answer.body }).toMatchObject({ status });
    expect(answer.headers.get('x-request-id')).toBe(sent);
    if (kind === 'rest-error' || kind === 'gql-error') expect(bodyRequestId(answer, kind)).toBe(sent);
    if (kind === 'gql-field-error') expect(answer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  test('generates a non-empty one when none is sent; the body carries the same', async () => {
    const answer = await call({});
    expect({ status: answer.status, body: answer.body }).toMatchObject({ status });
    const id = answer.headers.get('x-request-id');
    expect(id).toBeTruthy();
    expect(id!.trim().length).toBeGreaterThan(0);
    if (kind === 'rest-error' || kind === 'gql-error') expect(bodyRequestId(answer, kind)).toBe(id);
  });
});

test('generated ids differ from one request to the next', async () => {
  const a = await base.rest('GET', '/api/agencies');
  const b = await base.rest('GET', '/api/agencies');
  expect(a.headers.get('x-request-id')).toBeTruthy();
  expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
});

test.each([
  ['spaces', 'has spaces in it'],
  ['over 128 characters', 'a'.repeat(129)],
  ['markup', '<script>alert(1)</script>'],
])('an unusable x-request-id (%s) is replaced by a generated one, used consistently', async (_label, sent) => {
  const answer = await base.rest('GET', '/api/agencies', { headers: { 'x-request-id': sent } });
  expect(answer.status).toBe(401);
  const id = answer.headers.get('x-request-id');
  expect(id).toBeTruthy();
  expect(id).not.toBe(sent);
  expect(answer.body.error.requestId).toBe(id);
});
