import { startTestBase, TestBase } from '../support/harness';

/** SIGTERM path (server.stop): stop accepting, finish what is in flight, close the pool. */
let base: TestBase;
beforeAll(async () => {
  base = await startTestBase();
});
afterAll(() => base.close()); // the stop under test already ran; close() only cleans up

test('a request in flight when the stop begins still gets its answer; new ones are refused; the pool closes', async () => {
  const admin = await base.actor(['basic.agency.view']);
  base.auth.delayMs = 400; // keeps the request inside Base while the stop begins
  const callsBefore = base.auth.calls;
  const inFlight = base.rest('GET', '/api/agencies', { as: admin });
  // The stop begins once the request is inside Base (Auth has been asked), not after a guessed delay:
  // on a busy machine the request may not even have connected after 100 ms.
  for (let waited = 0; base.auth.calls === callsBefore; waited += 10) {
    if (waited > 5000) throw new Error('the request never reached Auth');
    await new Promise((r) => setTimeout(r, 10));
  }

  const stopping = base.server.stop();
  await new Promise((r) => setTimeout(r, 50));
  await expect(fetch(`${base.url}/health`)).rejects.toThrow();

  const answer = await inFlight;
  expect(answer.status).toBe(200);
  expect(answer.body.meta.total).toBe(0);

  await stopping;
  expect(base.server.dataSource.isInitialized).toBe(false);
});
