import { Caller, Answer, useTestBase } from '../support/harness';
import { expectRestError } from '../support/assertions';
import { rows, uniqueKey } from '../support/fixtures';
import { rawRequest } from '../support/raw-http';

/** HTTP conventions outside the domain: retired groups, health, readiness, GraphiQL, GET queries. */
const base = useTestBase();
let admin: Caller;

beforeAll(async () => {
  admin = await base.caller();
});

const RETIRED = ['auth', 'users', 'company-users', 'invitations', 'teams', 'packages', 'permissions', 'roles', 'subscriptions'];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE'] as const;

function expectMoved(answer: Answer, label: string): void {
  expect({ label, status: answer.status }).toEqual({ label, status: 410 });
  expectRestError(answer, 410, 'MOVED_TO_AUTH');
  expect(answer.body.error.message).toMatch(/\bAuth\b/);
}

describe('retired route groups → 410 MOVED_TO_AUTH', () => {
  const paths = [...RETIRED.map((g) => `/api/${g}`), ...RETIRED.map((g) => `/api/${g}/some/deeper/path`), '/api/users/123/anything', '/api/auth/login?next=/x'];

  test.each(paths)('%s, every method, with and without a token', async (path) => {
    for (const method of METHODS) {
      const body = method === 'POST' || method === 'PUT' ? { email: 'someone@example.com' } : undefined;
      expectMoved(await base.rest(method, path, { body }), `${method} ${path} (no token)`);
      expectMoved(await base.rest(method, path, { as: admin, body }), `${method} ${path} (token)`);
    }
  });

  test.each(RETIRED)('/api/%s answers 410 even with a malformed JSON body or a broken token', async (group) => {
    for (const method of METHODS) {
      // node:http, because fetch refuses a GET with a body.
      for (const [label, headers] of [
        ['no token', {}],
        ['token', admin.headers],
      ] as const) {
        const answer = await rawRequest(`${base.url}/api/${group}/x`, method, { headers, body: '{"broken": ' });
        expect({ label: `${method} malformed body, ${label}`, status: answer.status }).toEqual({ label: `${method} malformed body, ${label}`, status: 410 });
        expect(answer.body.error).toEqual({ code: 'MOVED_TO_AUTH', message: expect.stringMatching(/\bAuth\b/), requestId: answer.headers['x-request-id'] });
      }
      expectMoved(
        await base.rest(method, `/api/${group}`, { headers: { authorization: 'Bearer not.a.jwt', 'x-org': 'nope' } }),
        `${method} broken token and x-org`,
      );
    }
  });

  test('the message names Auth as the new home, and Base keeps nothing for these groups', async () => {
    const answer = await base.rest('POST', '/api/users', { as: admin, body: { email: 'x@example.com' } });
    expectMoved(answer, 'POST /api/users');
    expect(answer.body.error.message).toContain('/api/users');
    const tables = await base.sql<{ table_name: string }>(
      'select table_name from information_schema.tables where table_schema = $1',
      [base.schema],
    );
    const names = tables.map((t) => t.table_name);
    for (const group of RETIRED) expect(names).not.toContain(group.replace(/-/g, '_'));
  });

  test('a group that merely starts like a retired one is not retired', async () => {
    expectRestError(await base.rest('GET', '/api/usersettings', { as: admin }), 404, 'NOT_FOUND');
  });
});

describe('health and readiness', () => {
  test('GET /health → 200 { status: "ok" } with no headers', async () => {
    const answer = await base.rest('GET', '/health');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'ok' });
    expect(answer.headers.get('x-request-id')).toBeTruthy();
  });

  test('GET /ready → 200 with the database reachable', async () => {
    const answer = await base.rest('GET', '/ready');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'ready' });
  });
});

describe('GraphiQL', () => {
  let page: Answer<string>;
  beforeAll(async () => {
    page = await base.rest('GET', '/graphql', { headers: { accept: 'text/html' } });
  });

  test('GET /graphql with accept: text/html → 200 HTML page', () => {
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(typeof page.body).toBe('string');
    expect(page.body).toMatch(/<html/i);
    expect(page.body).toMatch(/graphiql/i);
  });

  test('the page references no external script, style or link', () => {
    const html = page.body;
    const external = /^\s*(https?:)?\/\//i;
    // Every src/href attribute of a real tag.
    const tagAttributes = [...html.matchAll(/<(script|link|img|iframe|style|source)\b[^>]*?\s(src|href)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/gi)].map(
      (m) => ({ tag: m[1], attr: m[2], value: m[4] ?? m[5] ?? m[6] ?? '' }),
    );
    expect(tagAttributes.filter((a) => external.test(a.value))).toEqual([]);
    expect(html).not.toMatch(/<script[^>]*\ssrc\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/<link[^>]*\shref\s*=\s*["']?\s*(https?:)?\/\//i);
    // No CDN host in any src/href, inside markup or in the inline loaders.
    expect(html).not.toMatch(/\b(src|href)\s*[=:]\s*["'`][^"'`]*\b(cdn|unpkg|jsdelivr)\b/i);
    expect(html).not.toMatch(/(unpkg\.com|jsdelivr\.net|cdnjs\.cloudflare\.com|esm\.sh)/i);
    // No stylesheet pulled from elsewhere.
    expect(html).not.toMatch(/@import\s+(url\()?\s*["']?\s*(https?:)?\/\//i);
  });

  test('a browser that prefers JSON does not get the page', async () => {
    const answer = await base.rest('GET', '/graphql', { headers: { accept: 'application/json' } });
    expect(answer.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
  });
});

describe('GraphQL over GET', () => {
  const get = (query: string, options: { as?: Caller; headers?: Record<string, string> } = {}) =>
    base.rest('GET', `/graphql?query=${encodeURIComponent(query)}`, {
      ...options,
      headers: { accept: 'application/json', ...(options.headers ?? {}) },
    });

  test('GET /graphql?query={__typename} with accept: application/json and the auth headers → JSON answer', async () => {
    const answer = await get('{__typename}', { as: admin });
    expect(answer.headers.get('content-type')).toMatch(/application\/(graphql-response\+)?json/);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ data: { __typename: 'Query' } });
  });

  test('CSRF prevention stays on: a simple GET with neither auth nor preflight headers is refused', async () => {
    const answer = await get('{__typename}');
    expect(answer.status).toBe(400);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors?.[0]?.message).toMatch(/Cross-Site Request Forgery/);
    const preflighted = await get('{__typename}', { headers: { 'apollo-require-preflight': 'true' } });
    expect(preflighted.status).toBe(200);
    expect(preflighted.body).toEqual({ data: { __typename: 'Query' } });
  });

  test('a real query works over GET with the auth headers', async () => {
    const answer = await get('{ agencies(limit: 1) { limit } }', { as: admin });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ data: { agencies: { limit: 1 } } });
  });

  test('a mutation over GET is refused and writes nothing', async () => {
    const before = await rows(base, 'agencies');
    const answer = await get(`mutation { createAgency(input: { key: "${uniqueKey()}", name: "Via GET" }) { id } }`, { as: admin });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.body?.data?.createAgency).toBeUndefined();
    expect(await rows(base, 'agencies')).toBe(before);
  });

  test('context failures end a GraphQL request with the REST status and code', async () => {
    const noToken = await base.gql('{ agencies { total } }');
    expect(noToken.status).toBe(401);
    expect(noToken.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const noOrg = await base.gql('{ agencies { total } }', {}, { headers: { authorization: admin.headers.authorization } });
    expect(noOrg.status).toBe(400);
    expect(noOrg.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
  });
});
