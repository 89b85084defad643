import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderEvents } from '../../src/cli/docs-events';
import { declaredEvents } from '../../src/core/event-types';
import { MODULES } from '../../src/modules';

/** docs/events.md is spelled from the declarations, and names every event type a webhook can carry. */
test('docs/events.md is what `npm run docs:events` writes from the declarations now', () => {
  const committed = readFileSync(join(__dirname, '..', '..', 'docs', 'events.md'), 'utf8');
  const written = renderEvents();
  if (committed !== written) throw new Error('docs/events.md is stale: run npm run docs:events and commit the result');
  for (const type of declaredEvents(MODULES).keys()) expect(written).toContain(`| \`${type}\` |`);
  expect(written).toContain('| `offer.accepted` |');
  expect(written).toContain('`data` is the Vendor as REST answers it');
});
