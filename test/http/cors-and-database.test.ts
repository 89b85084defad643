import { startTestBase, useTestBase } from '../support/harness';

/** Operational settings that reach the wire: CORS for configured origins, the SQL statement timeout. */
const base = useTestBase({ CORS_ORIGINS: 'https://app.kisum.example', DATABASE_STATEMENT_TIMEOUT_MS: '1234' });

test('a configured origin gets a CORS preflight answer that allows the auth headers', async () => {
  const res = await fetch(`${base.url}/api/agencies`, {
    method: 'OPTIONS',
    headers: { origin: 'https://app.kisum.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization,x-org' },
  });
  expect(res.status).toBe(204);
  expect(res.headers.get('access-control-allow-origin')).toBe('https://app.kisum.example');
  expect(res.headers.get('access-control-allow-headers')).toMatch(/authorization/);
  expect(res.headers.get('access-control-allow-headers')).toMatch(/x-org/);
});

test('an unknown origin gets no CORS allowance, and answers still expose the request id to allowed ones', async () => {
  const foreign = await fetch(`${base.url}/health`, { headers: { origin: 'https://evil.example' } });
  expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  const allowed = await fetch(`${base.url}/health`, { headers: { origin: 'https://app.kisum.example' } });
  expect(allowed.headers.get('access-control-expose-headers')).toMatch(/x-request-id/);
});

test('statements run under the configured timeout', async () => {
  const [row] = await base.sql<{ statement_timeout: string }>('SHOW statement_timeout');
  expect(row.statement_timeout).toBe('1234ms');
});

test('invalid CORS origins stop start-up with a message naming the variable', async () => {
  await expect(startTestBase({ CORS_ORIGINS: 'app.kisum.example/path' })).rejects.toThrow(/CORS_ORIGINS/);
});
