import { useTestBase } from '../support/harness';
import { stateMachineSuite } from '../support/state-machine-suite';
import { KIT_SERVE, tourFamily } from './fixture';

/** The fixture tour's machine through the shared state-machine suite. */
const base = useTestBase({}, KIT_SERVE);
const REMIND_AT = '2030-01-01T10:00:00Z';

stateMachineSuite({
  base,
  family: tourFamily,
  caller: () => base.caller(),
  path: (id) => `/api/kitTours/${id}`,
  input: (action) => (action === 'announce' ? { remindAt: REMIND_AT } : undefined),
  skip: ['explode', 'stray'],
  async reach(actor, state) {
    const created = await base.rest('POST', '/api/kitTours', { as: actor, body: { title: `Tour ${state}` } });
    expect(created.status).toBe(201);
    const id = created.body.data.id as string;
    const path = `/api/kitTours/${id}`;
    if (state === 'announced') expect((await base.rest('POST', `${path}/announce`, { as: actor, body: { remindAt: REMIND_AT } })).status).toBe(200);
    if (state === 'cancelled') expect((await base.rest('POST', `${path}/cancel`, { as: actor })).status).toBe(200);
    return id;
  },
});
