import { useTestBase } from '../support/harness';
import { capturedLines, loggedThrough } from '../support/log-capture';
import { AGENCIES_QUERY } from '../support/surfaces';
import { bearer } from '../support/tokens';

/**
 * Tokens never reach a log line. Base's real logger (src/logger.ts, with its redaction) is kept;
 * only its destination is swapped for an in-memory stream, at trace level so every line is seen.
 */
jest.mock('pino', () => jest.requireActual('../support/log-capture').pinoToMemory());
const lines = capturedLines();

const base = useTestBase({ LOG_LEVEL: 'trace' });

test('no token appears in any log line, whatever the outcome', async () => {
  const granted = await base.caller();
  const revoked = await base.caller();
  base.auth.reject(revoked.token);
  const notMember = await base.caller();
  const expired = await base.auth.token(granted.userId, { expiresIn: -3600 });
  const garbage = `garbage-token-${Date.now()}`;

  await base.rest('GET', '/api/agencies', { as: granted }); // 200
  await base.gql(AGENCIES_QUERY, undefined, { as: granted }); // 200
  await base.rest('GET', '/api/agencies', { as: revoked }); // Auth 401
  await base.rest('GET', '/api/agencies', { headers: { ...notMember.headers, 'x-org': base.companyB } }); // 403
  await base.rest('GET', '/api/agencies', { headers: { authorization: bearer(expired), 'x-org': granted.companyId } }); // 401
  await base.rest('GET', '/api/agencies', { headers: { authorization: bearer(garbage), 'x-org': granted.companyId } }); // 401
  base.auth.fault = { kind: 'status', status: 500 };
  const down = await base.caller();
  await base.gql(AGENCIES_QUERY, undefined, { as: down }); // 503
  base.auth.fault = { kind: 'company-mismatch' };
  await base.rest('GET', '/api/agencies', { as: await base.caller(), headers: { 'x-request-id': 'logs-last' } }); // 503, logged as an error
  base.auth.fault = null;
  await loggedThrough('logs-last');

  const log = lines.join('');
  expect(lines.length).toBeGreaterThan(5); // the capture works: request lines were written
  expect(log).toContain('effective access answer is inconsistent');
  for (const token of [granted.token, revoked.token, notMember.token, expired, garbage, down.token]) {
    expect(log).not.toContain(token);
    // Not even the signature part alone.
    expect(log).not.toContain(token.split('.')[2] || token);
  }
  expect(log.toLowerCase()).not.toContain('bearer ');
});
