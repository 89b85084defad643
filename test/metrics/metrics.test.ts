import { useTestBase } from '../support/harness';

/**
 * GET /metrics: Prometheus text on the separate metrics listener (no token), on the public port
 * only with the configured bearer, and never the raw URL (with ids) as a route label.
 */
const METRICS_TOKEN = 'scrape-token-0123456789';

describe('with a metrics listener and a token', () => {
  const base = useTestBase({ METRICS_PORT: '0', METRICS_TOKEN });

  async function scrape(): Promise<string> {
    const res = await fetch(`${base.server.metricsUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    return res.text();
  }

  test('a scrape after some traffic names every metric family', async () => {
    const admin = await base.caller();
    const created = await base.rest('POST', '/api/agencies', { as: admin, body: { key: 'metered', name: 'Metered' } });
    expect(created.status).toBe(201);
    await base.rest('GET', `/api/agencies/${created.body.data.id}`, { as: admin });
    await base.rest('GET', `/api/agencies/00000000-0000-4000-8000-000000000000`, { as: admin }); // 404 from the service
    await base.gql('query ListAgencies { agencies { total } }', {}, { as: admin });
    await base.gql('query Broken { nope }', {}, { as: admin });

    const text = await scrape();
    expect(text).toMatch(/^jobs\{status="pending"\} \d+$/m);
    for (const name of [
      'http_requests_total',
      'http_request_duration_seconds_bucket',
      'graphql_operations_total',
      'graphql_operation_duration_seconds_bucket',
      'auth_effective_access_duration_seconds_bucket',
      'auth_effective_access_cache_total',
      'db_pool_connections',
      'file_uploads_in_progress',
      'db_statement_duration_seconds_bucket',
      'process_cpu_seconds_total',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(text).toContain(`\n${name}`);
    }
    expect(text).toMatch(/graphql_operations_total\{operation="ListAgencies",type="query",result="success"\} 1/);
    expect(text).toMatch(/graphql_operations_total\{operation="\(invalid\)",type="none",result="GRAPHQL_VALIDATION_FAILED"\} 1/);
    expect(text).toMatch(/auth_effective_access_cache_total\{result="miss"\} 1\b/);
    expect(text).toMatch(/auth_effective_access_cache_total\{result="hit"\} [1-9]/);
    expect(text).toMatch(/auth_effective_access_duration_seconds_count\{outcome="granted"\} 1\b/);
    expect(text).toMatch(/db_pool_connections\{state="idle"\} \d+/);
    expect(text).toMatch(/\nfile_uploads_in_progress 0\n/);
  });

  test('the route label is the template, never the URL with its ids', async () => {
    const text = await scrape();
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/api\/agencies\/:id",status="200"\} 1/);
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/api\/agencies\/:id",status="404"\} 1/);
    expect(text).toMatch(/http_requests_total\{method="POST",route="\/api\/agencies",status="201"\} 1/);
    expect(text).not.toMatch(/route="[^"]*[0-9a-f]{8}-[0-9a-f]{4}/);
  });

  test('the public port answers only with the metrics bearer', async () => {
    expect((await base.rest('GET', '/metrics')).status).toBe(401);
    expect((await base.rest('GET', '/metrics', { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    const res = await base.rest('GET', '/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.body).toContain('http_requests_total');
  });

  test('the metrics listener serves nothing but /metrics', async () => {
    expect((await fetch(`${base.server.metricsUrl}/api/agencies`)).status).toBe(404);
  });
});

describe('without a token', () => {
  const base = useTestBase();

  test('the public port has no /metrics, whatever the caller sends', async () => {
    const admin = await base.caller();
    expect((await base.rest('GET', '/metrics')).status).toBe(404);
    expect((await base.rest('GET', '/metrics', { as: admin })).status).toBe(404);
    expect(base.server.metricsUrl).toBeNull();
  });
});
