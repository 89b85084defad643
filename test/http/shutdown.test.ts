import { startTestBase, TestBase } from '../support/harness';
import { eventually } from '../support/waiting';

/** SIGTERM path (server.stop): stop accepting, finish what is in flight, close the pool. */
let base: TestBase;
beforeAll(async () => {
  base = await startTestBase();
});
afterAll(() => base.close()); // the stop under test already ran; close() only cleans up

test('a request in flight when the stop begins still gets its answer; new ones are refused; the pool closes', async () => {
  const admin = await base.caller(['basic.agency.view']);
  base.auth.delayMs = 400; // real time: keeps the request inside Base while the stop begins
  const callsBefore = base.auth.calls;
  const inFlight = base.rest('GET', '/api/agencies', { as: admin });
  // The stop begins once the request is inside Base (Auth has been asked), not after a guessed delay:
  // on a busy machine the request may not even have connected after 100 ms.
  await eventually(() => base.auth.calls > callsBefore, 5000, 'the request reaching Auth');

  const stopping = base.server.stop();
  // The listener closes as the stop begins: a new connection is refused (looked for, not waited out).
  await eventually(() => fetch(`${base.url}/health`).then(() => false, () => true), 5000, 'new connections refused');

  const answer = await inFlight;
  expect(answer.status).toBe(200);
  expect(answer.body.meta.total).toBe(0);

  await stopping;
  expect(base.server.dataSource.isInitialized).toBe(false);
});
