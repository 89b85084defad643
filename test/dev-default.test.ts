import { ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { buildDist, cleanEnv, freePort, ROOT } from './support/processes';

/**
 * The README's run command on a machine with nothing configured: the compiled service starts an
 * embedded PostgreSQL, applies migrations, seeds the demo company and runs the dev Auth; a dev token
 * and the demo x-org then list the demo data over REST and GraphQL; SIGTERM stops it cleanly.
 */
const DEMO_ORG = '5eed0000-0000-4000-8000-00000000d3e0';
let child: ChildProcess;
let url: string;
let output = '';
const dataDir = mkdtempSync(join(tmpdir(), 'kisum-dev-default-'));
chmodSync(dataDir, 0o755); // as root, PostgreSQL runs as another user that must reach its folder

beforeAll(async () => {
  await buildDist();
  const port = await freePort();
  child = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: ROOT,
    env: cleanEnv({
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      EMBEDDED_PG_DIR: join(dataDir, 'postgres'),
      EMBEDDED_PG_PORT: String(await freePort()),
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dev default did not start:\n${output}`)), 60_000);
    const check = () => {
      if (/is listening on (http:\/\/\S+)/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => reject(new Error(`dev default exited (${code}):\n${output}`)));
  });
  url = `http://127.0.0.1:${port}`;
}, 90_000);

afterAll(async () => {
  if (child.exitCode === null) {
    child.kill('SIGKILL');
  }
  rmSync(dataDir, { recursive: true, force: true });
});

test('start-up prints the URL, the demo x-org and a copy-paste line that sets TOKEN', async () => {
  expect(output).toContain(`demo x-org: ${DEMO_ORG}`);
  expect(output).toContain('GraphiQL');
  const line = output.split('\n').find((l) => l.trim().startsWith('TOKEN=$('));
  expect(line).toBeDefined();
  // The printed line, run by a shell, leaves a token that works.
  const { stdout } = await promisify(execFile)('bash', ['-c', `${line!.trim()}; printf %s "$TOKEN"`], {
    env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` },
  });
  expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  const res = await fetch(`${url}/api/agencies`, { headers: { authorization: `Bearer ${stdout}`, 'x-org': DEMO_ORG } });
  expect(res.status).toBe(200);
});

test('POST /dev/token refuses a negative, zero or non-numeric lifetime (400), and takes a valid one', async () => {
  for (const hours of [-1, 0, 'soon', '12']) {
    const res = await fetch(`${url}/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ hours }) });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'hours' }] });
  }
  const ok = await fetch(`${url}/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ hours: 2 }) });
  expect(ok.status).toBe(200);
  expect((await ok.json()).expiresInSeconds).toBe(7200);
  expect((await (await fetch(`${url}/dev/token`, { method: 'POST' })).json()).expiresInSeconds).toBe(12 * 3600);
});

test('a dev token and the demo x-org list the demo agencies on both surfaces', async () => {
  const minted = await (await fetch(`${url}/dev/token`, { method: 'POST' })).json();
  expect(minted).toMatchObject({ companyId: DEMO_ORG, devOnly: true });
  const headers = { authorization: `Bearer ${minted.token}`, 'x-org': DEMO_ORG };

  const rest = await fetch(`${url}/api/agencies`, { headers });
  expect(rest.status).toBe(200);
  const body = await rest.json();
  expect(body.meta.total).toBe(3);
  expect(body.data.map((a: { key: string }) => a.key)).toEqual(['blue-room', 'northern-lights', 'tidal-artists']);

  const gql = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({
      query: `{ artists { total items { name agency { key } } } venues { total } vendors { total }
        events { total items { name status tickets { items { sold } } } } offers { items { status } } approvals { total } avails { total } }`,
    }),
  });
  const result = await gql.json();
  expect(result.errors).toBeUndefined();
  expect(result.data.artists.total).toBe(4);
  expect(result.data.artists.items.every((a: { agency: { key: string } | null }) => a.agency !== null)).toBe(true);
  expect(result.data.venues.total).toBe(2);
  expect(result.data.vendors.total).toBe(3);
  // Demo workflows: a show on sale with sales and an accepted offer, a past show with an expense waiting, holds.
  const events = Object.fromEntries(result.data.events.items.map((e: { name: string; status: string; tickets: { items: { sold: number }[] } }) => [e.status, e]));
  expect(Object.keys(events).sort()).toEqual(['COMPLETED', 'ON_SALE']);
  expect(events.ON_SALE.tickets.items.map((t: { sold: number }) => t.sold).sort()).toEqual([300, 412]);
  expect(result.data.offers.items).toEqual([{ status: 'ACCEPTED' }]);
  expect(result.data.approvals.total).toBe(1);
  expect(result.data.avails.total).toBeGreaterThanOrEqual(2);

  // The dev token is a real signed JWT: the demo company only, and a forged one is refused.
  expect((await fetch(`${url}/api/agencies`, { headers: { ...headers, 'x-org': '00000000-0000-4000-8000-000000000001' } })).status).toBe(403);
  expect((await fetch(`${url}/api/agencies`, { headers: { ...headers, authorization: `Bearer ${minted.token}x` } })).status).toBe(401);
});

test('GraphiQL opens with dev headers minted for each page load, its page revalidated by ETag', async () => {
  const page = await fetch(`${url}/graphql`, { headers: { accept: 'text/html', 'accept-encoding': 'gzip' } });
  expect(page.status).toBe(200);
  expect(page.headers.get('content-encoding')).toBe('gzip');
  const etag = page.headers.get('etag');
  expect(etag).toBeTruthy();
  const html = await page.text();
  expect(html).toContain('Kisum Base GraphiQL');
  expect(html).toContain('filled in with a dev token');
  expect(html).toContain('/graphql/graphiql-headers.js');

  const again = await fetch(`${url}/graphql`, { headers: { accept: 'text/html', 'if-none-match': etag! } });
  expect(again.status).toBe(304);
  expect(await again.text()).toBe('');

  const headersScript = async () => {
    const res = await fetch(`${url}/graphql/graphiql-headers.js`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    return JSON.parse(JSON.parse(text.slice(text.indexOf('=') + 1).trim().replace(/;$/, '')));
  };
  const first = await headersScript();
  // Real time: the started Base's dev Auth mints on the machine's clock; a new second is a new `iat`, so a new token.
  await new Promise((r) => setTimeout(r, 1100));
  const second = await headersScript();
  expect(first['x-org']).toBe(DEMO_ORG);
  expect(second.Authorization).not.toBe(first.Authorization);
  const res = await fetch(`${url}/api/agencies`, { headers: { authorization: second.Authorization, 'x-org': DEMO_ORG } });
  expect(res.status).toBe(200);
});

test('SIGTERM stops it cleanly: requests in flight finish, the database stops last', async () => {
  const { token } = await (await fetch(`${url}/dev/token`, { method: 'POST' })).json();
  const headers = { authorization: `Bearer ${token}`, 'x-org': DEMO_ORG, 'content-type': 'application/json' };
  const query = JSON.stringify({ query: '{ artists { total items { name agency { key name } } } venues { total } vendors { total } }' });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // A burst in flight when the signal arrives; each one either completes or was never accepted.
  const burst = Array.from({ length: 40 }, () => fetch(`${url}/graphql`, { method: 'POST', headers, body: query }).then((r) => r.status, () => 'refused'));
  await new Promise((r) => setTimeout(r, 20)); // real time: the burst is in flight when the signal arrives
  child.kill('SIGTERM');
  const statuses = await Promise.all(burst);
  expect(await exited).toBe(0);
  expect(statuses.filter((s) => s !== 200 && s !== 'refused')).toEqual([]);
  expect(output).not.toMatch(/terminating connection|Connection terminated|unclean shutdown/i);
}, 30_000);

test('NODE_ENV=production with nothing configured refuses to start, naming what is missing', async () => {
  const run = promisify(execFile)(process.execPath, ['dist/src/main.js'], { cwd: ROOT, env: cleanEnv({ NODE_ENV: 'production' }) });
  await expect(run).rejects.toMatchObject({ code: 78, stderr: expect.stringMatching(/DATABASE_URL[\s\S]*AUTH_JWKS_URL/) });
});
