import { existsSync } from 'node:fs';
import { chromium, Browser } from 'playwright-core';
import { useTestBase } from '../support/harness';

/**
 * GraphiQL in a real (headless) browser: the page loads nothing from outside this server, and a
 * person can run a query with the Authorization and x-org headers. Needs Debian's chromium, which
 * .ci/run installs; without it this file is skipped and says so.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM);
const maybe = haveBrowser ? describe : describe.skip;

maybe(`GraphiQL in a browser${haveBrowser ? '' : ` (skipped: no browser at ${CHROMIUM})`}`, () => {
  const base = useTestBase();
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);
  afterAll(() => browser?.close());

  test('loads only from this server and runs a query with the caller headers', async () => {
    const admin = await base.caller(['basic.agency.view']);
    await base.rest('POST', '/api/agencies', { as: await base.caller(['basic.agency.create']), body: { key: 'in-browser', name: 'Seen In GraphiQL' } });

    const context = await browser.newContext();
    const page = await context.newPage();
    const foreign: string[] = [];
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(base.url) && !url.startsWith('data:') && !url.startsWith('blob:')) foreign.push(url);
    });
    // What a person would type into GraphiQL's query and header editors (GraphiQL persists both).
    await page.addInitScript(
      ([headers]) => {
        localStorage.setItem('graphiql:headers', headers);
        localStorage.setItem('graphiql:query', '{ agencies { total items { name } } }');
      },
      [JSON.stringify({ Authorization: `Bearer ${admin.token}`, 'x-org': admin.companyId })],
    );
    await page.goto(`${base.url}/graphql`, { waitUntil: 'load' });
    await page.locator('.graphiql-execute-button').click({ timeout: 20_000 });
    await page.getByText('Seen In GraphiQL').first().waitFor({ timeout: 20_000 });
    expect(foreign).toEqual([]);
    await context.close();
  }, 60_000);
});
