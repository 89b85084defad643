import { useTestBase } from '../support/harness';

/** REST edges: unknown routes, methods a path does not have, and paging messages that say what is wrong. */
const base = useTestBase();

describe('routes that do not exist', () => {
  test('404 NOT_FOUND with the error shape, with or without a token', async () => {
    const admin = await base.caller();
    for (const [method, path, as] of [
      ['GET', '/api/no-such-family', admin],
      ['POST', '/api/no-such-family/x/y', admin],
      ['GET', '/api/no-such-family', undefined],
      ['GET', '/api/agencies/a/b', admin],
    ] as const) {
      const res = await base.rest(method, path, { as, body: method === 'POST' ? {} : undefined });
      expect({ method, path, status: res.status, code: res.body?.error?.code }).toEqual({ method, path, status: 404, code: 'NOT_FOUND' });
      expect(res.body.error.requestId).toBe(res.headers.get('x-request-id'));
    }
  });
});

describe('methods a known path does not have', () => {
  test('405 METHOD_NOT_ALLOWED with an Allow header, before any auth', async () => {
    const res = await fetch(`${base.url}/api/agencies/00000000-0000-4000-8000-000000000001`, { method: 'PATCH' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, PUT, DELETE, HEAD');
    const body = await res.json();
    expect(body.error.code).toBe('METHOD_NOT_ALLOWED');
    expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
    expect((await fetch(`${base.url}/api/agencies`, { method: 'DELETE' })).status).toBe(405);
  });
});

describe('paging messages say what is wrong', () => {
  test.each([
    ['page=abc', 'page', 'page must be an integer'],
    ['limit=1.5', 'limit', 'limit must be an integer'],
    ['limit=101', 'limit', 'limit must be at most 100'],
    ['page=0', 'page', 'page must be at least 1'],
  ])('%s', async (query, field, message) => {
    const admin = await base.caller(['basic.agency.view']);
    const res = await base.rest('GET', `/api/agencies?${query}`, { as: admin });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ field, message }]);
  });

  test('empty paging values mean the defaults', async () => {
    const admin = await base.caller(['basic.agency.view']);
    const res = await base.rest('GET', '/api/agencies?page=&limit=', { as: admin });
    expect(res.status).toBe(200);
    expect(res.body.meta).toMatchObject({ page: 1, limit: 20 });
  });
});
