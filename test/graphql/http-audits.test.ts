import { serverAudits } from 'graphql-http';
import { useTestBase } from '../support/harness';

/**
 * GraphQL over HTTP as the spec's own audits (graphql-http's `serverAudits`) read it, against the
 * real server: no MUST may fail. The audits call as a member (a token and x-org on every request),
 * as any client of Base does. (Three SHOULDs warn: a document that does not parse or validate, or
 * variables that do not coerce, answer 400 rather than 200 to `application/json`, the same status as
 * the REST layer's.)
 */
const base = useTestBase();

test('no MUST audit of the GraphQL-over-HTTP spec fails', async () => {
  const member = await base.actor();
  const fetchFn = (input: RequestInfo | URL, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(member.headers)) headers.set(name, value);
    return fetch(input, { ...init, headers });
  };
  const audits = serverAudits({ url: `${base.url}/graphql`, fetchFn });
  expect(audits.filter((a) => a.name.startsWith('MUST')).length).toBeGreaterThan(10);
  const results = [];
  // One after another: some audits send bodies the server must refuse, and their order is the spec's.
  for (const audit of audits) results.push(await audit.fn());
  const failed = await Promise.all(
    results
      .filter((r) => r.status !== 'ok' && r.name.startsWith('MUST'))
      .map(async (r) => `${r.name}: ${'reason' in r ? r.reason : ''} (${'response' in r ? `${r.response.status} ${await r.response.text().catch(() => '')}` : ''})`),
  );
  expect(failed).toEqual([]);
});
