import { expectRestError, gqlData } from '../support/assertions';
import { freshCaller } from '../support/fixtures';
import { Caller, useTestBase } from '../support/harness';
import { availHelpers } from './avail-helpers';

/**
 * The ladder is exact at its deadlines: the moment a hold passes its expiresAt, or level 1 its
 * unanswered challenge's respondBy, every read and every write sees the ladder as of then — the
 * holds below move up at once on REST and GraphQL alike, before any sweep. The holders hear of it
 * once, from whichever writes it down first: the sweep, or the slot's next change. Time is moved on
 * the Base's clock, past the deadline.
 */
const base = useTestBase();
let admin: Caller;
const { act, read, ladder, history, storedLevels, past, sweepsDue, threeHolds } = availHelpers(base, () => admin);

beforeAll(async () => {
  admin = await base.caller();
});

/* eslint-disable @typescript-eslint/no-explicit-any */
/** Three holders of one fresh company, and a booker who acts for them. */
async function holders(): Promise<{ booker: Caller; people: Caller[] }> {
  const booker = await freshCaller(base);
  const people = await Promise.all([1, 2, 3].map(() => base.caller(undefined, { company: booker.companyId })));
  return { booker, people };
}

/** The avail notifications of a company, each once per row: [recipient, kind, hold], sorted. */
const notices = async (companyId: string) =>
  (
    await base.sql<{ recipient_id: string; kind: string; entity_id: string }>(
      `SELECT recipient_id, kind, entity_id FROM "${base.schema}".notifications WHERE company_id = $1 AND kind LIKE 'avail.%'`,
      [companyId],
    )
  )
    .map((n) => [n.recipient_id, n.kind, n.entity_id])
    .sort((a, b) => a.join().localeCompare(b.join()));
/** What `notices` should be: the same rows, sorted the same way. */
const sorted = (rows: string[][]) => [...rows].sort((a, b) => a.join().localeCompare(b.join()));

const runSweeps = async () => {
  await sweepsDue();
  await Promise.all([base.server.jobs.runOnce(), base.server.jobs.runOnce()]);
};

/**
 * Every read of three holds whose first has just left its ladder (REST get, list and ladder; GraphQL
 * avail, avails, ladder, Venue.avails and _entities) reads it as `first` and the other two at levels 1
 * and 2, while the table still stores levels 1..3.
 */
async function expectEveryReadMovedUp(venueId: string, date: string, ids: string[], first: string, as = admin) {
  const gets = await Promise.all(ids.map((id) => read(id, as)));
  const list = await base.rest('GET', `/api/avails?venueId=${venueId}`, { as });
  const gql = gqlData(
    await base.gql(
      `query($v: ID, $vid: ID!, $d: LocalDate!, $reps: [_Any!]!) {
        ladder(venueId: $v, date: $d) { id holdLevel status }
        avails(filter: { venueId: $v }) { items { id holdLevel status } }
        venue(id: $vid) { avails { items { id holdLevel status } } }
        _entities(representations: $reps) { ... on Avail { id holdLevel status } }
        first: avail(id: ${JSON.stringify(ids[0])}) { id holdLevel status }
      }`,
      { v: venueId, vid: venueId, d: date, reps: ids.map((id) => ({ __typename: 'Avail', id })) },
      { as },
    ),
  );
  const row = (h: any) => [h.id, h.holdLevel, String(h.status).toLowerCase()];
  const reads = {
    get: gets.map(row),
    list: (list.body.data as any[]).map(row),
    ladder: await ladder(`venueId=${venueId}&date=${date}`, as),
    gqlLadder: gql.ladder.map(row),
    gqlList: gql.avails.items.map(row),
    venueAvails: gql.venue.avails.items.map(row),
    entities: gql._entities.map(row),
    gqlFirst: [row(gql.first)],
  };
  const all = [
    [ids[0], 1, first],
    [ids[1], 1, 'held'],
    [ids[2], 2, 'held'],
  ];
  expect(reads).toEqual({ get: all, list: all, ladder: all.slice(1), gqlLadder: all.slice(1), gqlList: all, venueAvails: all, entities: all, gqlFirst: all.slice(0, 1) });
  // Nothing is stored yet: the reading is the database's, as of now.
  expect(await storedLevels(venueId, date)).toEqual([1, 2, 3]);
}

/**
 * The second hold reads level 1 once the first has left and is confirmed at once, racing two
 * sweeps over the same slot; then the sweeps run once more. Whichever writes the first hold's end
 * down, it is written once.
 */
async function confirmSecondThenSweep(ids: string[], booker: Caller) {
  expect((await read(ids[1], booker)).holdLevel).toBe(1);
  const [confirmed] = await Promise.all([act(ids[1], 'confirm', {}, booker), runSweeps()]);
  expect(confirmed.status).toBe(200);
  await runSweeps();
}
/** What the holders of the second and third holds hear of that: each move once, and the release by the confirmation. */
const movedUpThenConfirmed = (people: Caller[], ids: string[]) => [
  [people[1].userId, 'avail.moved-up', ids[1]],
  [people[2].userId, 'avail.moved-up', ids[2]],
  [people[2].userId, 'avail.released', ids[2]],
];

describe('past expiresAt', () => {
  test('the holds below move up on the very next read, everywhere, before any sweep', async () => {
    const { venueId, date, ids } = await threeHolds();
    await past(ids[0], 'expires_at');
    await expectEveryReadMovedUp(venueId, date, ids, 'expired');
  });

  test('the new first hold reads level 1 and can be confirmed at once; its holders hear of each move once, the sweeps racing it add nothing', async () => {
    const { booker, people } = await holders();
    const { ids } = await threeHolds(undefined, people);
    await past(ids[0], 'expires_at');
    await confirmSecondThenSweep(ids, booker);
    expect(await notices(booker.companyId)).toEqual(sorted(movedUpThenConfirmed(people, ids)));
    expect(await history(ids[0], booker)).toEqual(['avail.expired', 'avail.created']);
  });
});

describe('a challenge unanswered by its respondBy', () => {
  test('level 1 reads released at once and the challenger is level 1, everywhere, before any sweep', async () => {
    const { venueId, date, ids } = await threeHolds();
    expect((await act(ids[1], 'challenge')).status).toBe(200);
    await past(ids[0], 'respond_by');
    await expectEveryReadMovedUp(venueId, date, ids, 'released');
    expect((await read(ids[0])).respondBy).toBeNull();
    // The status filter reads the same.
    const released = await base.rest('GET', `/api/avails?venueId=${venueId}&status=released`, { as: admin });
    expect(released.body.data.map((h: any) => h.id)).toEqual([ids[0]]);
    const challenged = await base.rest('GET', `/api/avails?venueId=${venueId}&status=challenged`, { as: admin });
    expect(challenged.body.data).toEqual([]);
  });

  test('the lapsed hold can never be confirmed (409, nothing changes); the holders hear of it once, from the sweep', async () => {
    const { booker, people } = await holders();
    const { venueId, date, ids } = await threeHolds(undefined, people);
    expect((await act(ids[1], 'challenge', {}, people[1])).status).toBe(200);
    await past(ids[0], 'respond_by');
    for (const actor of [people[0], booker]) {
      expect(expectRestError(await act(ids[0], 'confirm', {}, actor), 409, 'CONFLICT').message).toContain('is released');
    }
    const gql = await base.gql(`mutation($id: ID!) { confirmAvail(id: $id) { id } }`, { id: ids[0] }, { as: booker });
    expect(gql.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(await history(ids[0], booker)).toEqual(['avail.challenged', 'avail.created']);
    await runSweeps();
    await runSweeps();
    expect(await notices(booker.companyId)).toEqual(sorted([
      [people[0].userId, 'avail.challenged', ids[0]],
      [people[0].userId, 'avail.released', ids[0]],
      [people[1].userId, 'avail.moved-up', ids[1]],
      [people[2].userId, 'avail.moved-up', ids[2]],
    ]));
    expect(await storedLevels(venueId, date)).toEqual([1, 2]);
    expect(await ladder(`venueId=${venueId}&date=${date}`, booker)).toEqual([
      [ids[1], 1, 'held'],
      [ids[2], 2, 'held'],
    ]);
  });

  test('the challenger reads level 1 and confirms at once, racing the sweeps: the release and each move are recorded once', async () => {
    const { booker, people } = await holders();
    const { ids } = await threeHolds(undefined, people);
    expect((await act(ids[1], 'challenge', {}, people[1])).status).toBe(200);
    await past(ids[0], 'respond_by');
    await confirmSecondThenSweep(ids, booker);
    expect(await notices(booker.companyId)).toEqual(
      sorted([[people[0].userId, 'avail.challenged', ids[0]], [people[0].userId, 'avail.released', ids[0]], ...movedUpThenConfirmed(people, ids)]),
    );
    expect((await history(ids[0], booker)).filter((t) => t === 'avail.released')).toHaveLength(1);
  });
});
