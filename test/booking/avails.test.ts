import { availFamily } from '../../src/modules/avails';
import { expectRestError, expectRestValidation, gqlData } from '../support/assertions';
import { NO_SUCH_ID } from '../support/fixtures';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { startServer } from '../../src/server';
import { Caller, useTestBase } from '../support/harness';
import { stateMachineSuite } from '../support/state-machine-suite';
import { availHelpers } from './avail-helpers';

/**
 * Avails (`/api/avails`, `basic.avail.*`): date holds on the ladder of a slot (venue + stage + date,
 * or artist + date); confirm, release, challenge; expiry read at once and written by the sweeps;
 * races decided by the database; the ladder query on both surfaces; tenancy.
 */
const base = useTestBase();
let admin: Caller;
const { freshDate, venue, artist, hold, act, read, ladder, history, storedLevels, past, sweepsDue, threeHolds } = availHelpers(base, () => admin);

beforeAll(async () => {
  admin = await base.caller();
});

/* eslint-disable @typescript-eslint/no-explicit-any */
describe('the ladder', () => {
  test('holds without a level take the next free one; stages and artist days are slots of their own', async () => {
    const { venueId, date, ids } = await threeHolds();
    expect(await ladder(`venueId=${venueId}&date=${date}`)).toEqual([
      [ids[0], 1, 'held'],
      [ids[1], 2, 'held'],
      [ids[2], 3, 'held'],
    ]);
    const small = await hold({ venueId, date, stage: 'Small room' });
    expect(small.holdLevel).toBe(1);
    const artistId = await artist();
    const artistDay = await hold({ artistId, date });
    const withVenue = await hold({ artistId, venueId, date });
    expect([artistDay.holdLevel, withVenue.holdLevel]).toEqual([1, 4]);
    expect(await ladder(`artistId=${artistId}&date=${date}`)).toEqual([[artistDay.id, 1, 'held']]);
  });

  test('GraphQL: the same ladder through ladder and createAvail', async () => {
    const { venueId, date, ids } = await threeHolds('Main');
    const made = await base.gql(`mutation($i: AvailCreateInput!) { createAvail(input: $i) { id holdLevel status stage } }`, {
      i: { venueId, date, stage: 'Main', note: 'fourth' },
    }, { as: admin });
    expect(gqlData(made).createAvail).toMatchObject({ holdLevel: 4, status: 'HELD', stage: 'Main' });
    const res = await base.gql(`query($v: ID, $d: LocalDate!, $s: String) { ladder(venueId: $v, date: $d, stage: $s) { id holdLevel } }`, {
      v: venueId,
      d: date,
      s: 'Main',
    }, { as: admin });
    expect(gqlData(res).ladder.map((h: any) => h.id)).toEqual([...ids, gqlData(made).createAvail.id]);
  });

  test('a level asked for must be the next free one: a taken level or a gap is 409', async () => {
    const { venueId, date } = await threeHolds();
    const taken = await base.rest('POST', '/api/avails', { as: admin, body: { venueId, date, holdLevel: 2 } });
    expect(expectRestError(taken, 409, 'CONFLICT').message).toContain('Level 2 of this slot is already held');
    const gap = await base.rest('POST', '/api/avails', { as: admin, body: { venueId, date, holdLevel: 6 } });
    expect(expectRestError(gap, 409, 'CONFLICT').message).toContain('next free level is 4');
    expect((await hold({ venueId, date, holdLevel: 4 })).holdLevel).toBe(4);
  });

  test('a hold needs a venue or an artist; placement cannot be changed, the note can', async () => {
    const none = await base.rest('POST', '/api/avails', { as: admin, body: { date: freshDate() } });
    expectRestValidation(none, ['venueId', 'artistId']);
    const bad = await base.rest('POST', '/api/avails', { as: admin, body: { venueId: await venue(), date: '2031-02-30', expiresAt: '2000-01-01T00:00:00Z' } });
    expectRestValidation(bad, ['date']);
    const pastExpiry = await base.rest('POST', '/api/avails', { as: admin, body: { venueId: await venue(), date: freshDate(), expiresAt: '2000-01-01T00:00:00Z' } });
    expectRestValidation(pastExpiry, ['expiresAt']);
    const { ids } = await threeHolds();
    const moved = await base.rest('PUT', `/api/avails/${ids[0]}`, { as: admin, body: { date: '2031-03-01', holdLevel: 3 } });
    expectRestValidation(moved, ['date', 'holdLevel']);
    const noted = await base.rest('PUT', `/api/avails/${ids[0]}`, { as: admin, body: { note: 'waiting on the promoter' } });
    expect(noted.body.data).toMatchObject({ note: 'waiting on the promoter', holdLevel: 1, status: 'held' });
  });

  test('release moves every lower hold up one level, each in its own history', async () => {
    const { venueId, date, ids } = await threeHolds();
    const released = await act(ids[0], 'release');
    expect(released.body.data).toMatchObject({ status: 'released' });
    expect(await ladder(`venueId=${venueId}&date=${date}`)).toEqual([
      [ids[1], 1, 'held'],
      [ids[2], 2, 'held'],
    ]);
    expect(await history(ids[1])).toEqual(['avail.moved-up', 'avail.created']);
    const moved = await base.rest('GET', `/api/avails/${ids[2]}/history?limit=1`, { as: admin });
    expect(moved.body.data[0]).toMatchObject({ type: 'avail.moved-up', payload: { from: 3, to: 2 }, actorId: admin.userId });
    // Releasing the middle of the ladder closes the gap too.
    const more = await hold({ venueId, date });
    expect((await act(ids[2], 'release')).status).toBe(200);
    expect(await ladder(`venueId=${venueId}&date=${date}`)).toEqual([
      [ids[1], 1, 'held'],
      [more.id, 2, 'held'],
    ]);
  });

  test('only level 1 can be confirmed; confirming releases the rest of the slot', async () => {
    const { venueId, date, ids } = await threeHolds();
    const second = await act(ids[1], 'confirm');
    expect(expectRestError(second, 409, 'CONFLICT').message).toContain('Only the first hold can be confirmed; this hold is level 2');
    const first = await base.gql(`mutation($id: ID!) { confirmAvail(id: $id) { status holdLevel } }`, { id: ids[0] }, { as: admin });
    expect(gqlData(first).confirmAvail).toEqual({ status: 'CONFIRMED', holdLevel: 1 });
    expect(await ladder(`venueId=${venueId}&date=${date}`)).toEqual([]);
    for (const id of ids.slice(1)) {
      expect((await read(id)).status).toBe('released');
      expect((await history(id))[0]).toBe('avail.released');
    }
    expect((await history(ids[0]))[0]).toBe('avail.confirmed');
  });

  test('deleting a hold moves the ladder up like a release', async () => {
    const { venueId, date, ids } = await threeHolds();
    expect((await base.rest('DELETE', `/api/avails/${ids[0]}`, { as: admin })).status).toBe(204);
    expect(await ladder(`venueId=${venueId}&date=${date}`)).toEqual([
      [ids[1], 1, 'held'],
      [ids[2], 2, 'held'],
    ]);
  });
});

describe('challenges', () => {
  test('the second hold challenges the first: challenged with respondBy in 48 hours and the challenger named', async () => {
    const { ids } = await threeHolds();
    const third = await act(ids[2], 'challenge');
    expect(expectRestError(third, 409, 'CONFLICT').message).toContain('Only the second hold can challenge the first; this hold is level 3');
    const before = base.clock.now().getTime();
    expect((await act(ids[1], 'challenge')).status).toBe(200);
    const first = await read(ids[0]);
    expect(first).toMatchObject({ status: 'challenged', challengedById: ids[1], holdLevel: 1 });
    const respondBy = new Date(first.respondBy).getTime();
    expect(respondBy).toBeGreaterThanOrEqual(before + 48 * 3600_000);
    expect(respondBy).toBeLessThanOrEqual(base.clock.now().getTime() + 48 * 3600_000);
    expect(expectRestError(await act(ids[1], 'challenge'), 409, 'CONFLICT').message).toContain('already challenged');
    expect(await history(ids[0])).toEqual(['avail.challenged', 'avail.created']);
  });

  test('level 1 answers by releasing: the challenger moves up', async () => {
    const { venueId, date, ids } = await threeHolds();
    const respondBy = new Date(base.clock.now().getTime() + 3600_000).toISOString();
    const res = await base.gql(`mutation($id: ID!, $i: AvailChallengeInput!) { challengeAvail(id: $id, input: $i) { id holdLevel } }`, {
      id: ids[1],
      i: { respondBy },
    }, { as: admin });
    expect(gqlData(res).challengeAvail).toEqual({ id: ids[1], holdLevel: 2 });
    expect((await read(ids[0])).respondBy).toBe(respondBy);
    expect((await act(ids[0], 'release')).body.data).toMatchObject({ status: 'released', respondBy: null });
    expect(await ladder(`venueId=${venueId}&date=${date}`)).toEqual([
      [ids[1], 1, 'held'],
      [ids[2], 2, 'held'],
    ]);
  });

  test('level 1 answers by confirming: the challenger does not move up and is released with the rest', async () => {
    const { venueId, date, ids } = await threeHolds();
    expect((await act(ids[1], 'challenge')).status).toBe(200);
    expect((await act(ids[0], 'confirm')).body.data).toMatchObject({ status: 'confirmed', holdLevel: 1 });
    expect(await ladder(`venueId=${venueId}&date=${date}`)).toEqual([]);
    expect((await read(ids[1])).status).toBe('released');
  });

  test('a respondBy in the past is refused', async () => {
    const { ids } = await threeHolds();
    expectRestValidation(await act(ids[1], 'challenge', { respondBy: '2001-01-01T00:00:00Z' }), ['respondBy']);
  });

  test('the challenger withdrawing (released) leaves level 1 held again', async () => {
    const { ids } = await threeHolds();
    expect((await act(ids[1], 'challenge')).status).toBe(200);
    expect((await act(ids[1], 'release')).status).toBe(200);
    expect(await read(ids[0])).toMatchObject({ status: 'held', respondBy: null, challengedById: null });
    expect((await read(ids[2])).holdLevel).toBe(2);
  });
});

describe('races are decided by the database', () => {
  test('8 holds at once asking for level 1: exactly one wins, the others are 409', async () => {
    const venueId = await venue();
    const date = freshDate();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => base.rest('POST', '/api/avails', { as: admin, body: { venueId, date, holdLevel: 1 } })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    expect(await storedLevels(venueId, date)).toEqual([1]);
  });

  test('8 holds at once without a level: levels 1..8, each once', async () => {
    const venueId = await venue();
    const date = freshDate();
    const answers = await Promise.all(Array.from({ length: 8 }, () => base.rest('POST', '/api/avails', { as: admin, body: { venueId, date } })));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(201));
    expect(answers.map((a) => a.body.data.holdLevel).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await storedLevels(venueId, date)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  test('without the lock the constraint still refuses a second active hold on one level, and allows a released one', async () => {
    const { venueId, date, ids } = await threeHolds();
    const copy = (status: string) =>
      base.sql(
        `INSERT INTO "${base.schema}".avails (company_id, date, venue_id, hold_level, status, created_by)
         SELECT company_id, date, venue_id, 2, $2, 'test' FROM "${base.schema}".avails WHERE id = $1`,
        [ids[0], status],
      );
    await expect(copy('held')).rejects.toMatchObject({ code: '23P01', constraint: 'uq__avails__hold_level' });
    await expect(copy('released')).resolves.toBeDefined();
    expect(await storedLevels(venueId, date)).toEqual([1, 2, 3]);
  });

  test('confirm, releases and new holds at once on one slot leave a consistent, gapless ladder', async () => {
    for (let round = 0; round < 3; round++) {
      const venueId = await venue();
      const date = freshDate();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await hold({ venueId, date })).id);
      const answers = await Promise.all([
        act(ids[0], 'confirm'),
        act(ids[2], 'release'),
        act(ids[3], 'release'),
        act(ids[4], 'release'),
        base.rest('POST', '/api/avails', { as: admin, body: { venueId, date } }),
        base.rest('POST', '/api/avails', { as: admin, body: { venueId, date } }),
      ]);
      expect(answers.map((a) => a.status).filter((s) => s >= 500)).toEqual([]);
      const levels = await storedLevels(venueId, date);
      expect(levels).toEqual(levels.map((_, i) => i + 1));
      expect((await read(ids[0])).status).toBe('confirmed');
      // Every hold that is not confirmed and not standing was released by someone, once.
      for (const id of ids.slice(1)) {
        const status = (await read(id)).status;
        expect(['released', 'held']).toContain(status);
        if (status === 'released') expect((await history(id)).filter((t) => t === 'avail.released')).toHaveLength(1);
      }
    }
  });
});

describe('expiry', () => {
  test('a hold stands until its expiresAt by the clock: a minute before, the ladder and the sweep leave it; from then, it is expired', async () => {
    const { venueId, date, ids } = await threeHolds();
    const expiresAt = new Date(base.clock.now().getTime() + 3600_000).toISOString();
    expect((await base.rest('PUT', `/api/avails/${ids[0]}`, { as: admin, body: { expiresAt } })).status).toBe(200);
    const runSweeps = async () => {
      await sweepsDue();
      await base.server.jobs.runOnce();
    };

    base.clock.advanceTo(new Date(Date.parse(expiresAt) - 60_000));
    expect(await ladder(`venueId=${venueId}&date=${date}`)).toEqual([
      [ids[0], 1, 'held'],
      [ids[1], 2, 'held'],
      [ids[2], 3, 'held'],
    ]);
    await runSweeps();
    expect(await history(ids[0])).toEqual(['avail.updated', 'avail.created']);

    base.clock.advanceTo(expiresAt);
    expect((await read(ids[0])).status).toBe('expired');
    expect(await ladder(`venueId=${venueId}&date=${date}`)).toEqual([
      [ids[1], 1, 'held'],
      [ids[2], 2, 'held'],
    ]);
    await runSweeps();
    expect(await history(ids[0])).toEqual(['avail.expired', 'avail.updated', 'avail.created']);
    expect(await storedLevels(venueId, date)).toEqual([1, 2]);
  });

  test('an unanswered challenge stands for its 48 hours by the clock: a minute before, level 1 may still confirm; at respondBy it is released', async () => {
    const { venueId, date, ids } = await threeHolds();
    expect((await act(ids[1], 'challenge')).status).toBe(200);
    const { respondBy } = await read(ids[0]);

    base.clock.advanceTo(new Date(Date.parse(respondBy) - 60_000));
    expect(await ladder(`venueId=${venueId}&date=${date}`)).toEqual([
      [ids[0], 1, 'challenged'],
      [ids[1], 2, 'held'],
      [ids[2], 3, 'held'],
    ]);

    base.clock.advanceTo(respondBy);
    expect(await ladder(`venueId=${venueId}&date=${date}`)).toEqual([
      [ids[1], 1, 'held'],
      [ids[2], 2, 'held'],
    ]);
    expect(expectRestError(await act(ids[0], 'confirm'), 409, 'CONFLICT').message).toContain('is released');
  });

  test('an expiresAt the clock has passed is refused', async () => {
    const { ids } = await threeHolds();
    const soon = new Date(base.clock.now().getTime() + 60_000).toISOString();
    base.clock.advance(60_000);
    expectRestValidation(await base.rest('PUT', `/api/avails/${ids[0]}`, { as: admin, body: { expiresAt: soon } }), ['expiresAt']);
  });

  test('past its expiresAt a hold reads as expired at once; the ladder and level-taking ignore it', async () => {
    const { venueId, date, ids } = await threeHolds();
    await past(ids[0], 'expires_at');
    expect((await read(ids[0])).status).toBe('expired');
    const list = await base.rest('GET', `/api/avails?venueId=${venueId}&status=expired`, { as: admin });
    expect(list.body.data.map((h: any) => h.id)).toEqual([ids[0]]);
    const held = await base.rest('GET', `/api/avails?venueId=${venueId}&status=held`, { as: admin });
    expect(held.body.data.map((h: any) => h.id)).toEqual([ids[1], ids[2]]);
    const gql = await base.gql(`query($id: ID!) { avail(id: $id) { status } }`, { id: ids[0] }, { as: admin });
    expect(gqlData(gql).avail.status).toBe('EXPIRED');
    expect((await ladder(`venueId=${venueId}&date=${date}`)).map(([id]) => id)).toEqual([ids[1], ids[2]]);
    // An action on it is refused as on any expired hold.
    expect(expectRestError(await act(ids[0], 'confirm'), 409, 'CONFLICT').message).toContain('is expired');
    // A new hold restacks the slot first: the expiry is written, the ladder moves up, the new one is third.
    const next = await hold({ venueId, date });
    expect(next.holdLevel).toBe(3);
    expect(await storedLevels(venueId, date)).toEqual([1, 2, 3]);
    expect((await history(ids[0]))[0]).toBe('avail.expired');
  });

  test('the sweep writes expiries down and moves the ladder up, once, whoever runs it', async () => {
    const { venueId, date, ids } = await threeHolds();
    const other = await threeHolds();
    await past(ids[0], 'expires_at');
    await past(other.ids[1], 'expires_at');
    await sweepsDue();
    // Two runners at once (the runner's claims) and both sweeps over the same slots (the slot lock).
    await Promise.all([base.server.jobs.runOnce(), base.server.jobs.runOnce()]);
    const [stored] = await base.sql<{ status: string }>(`SELECT status FROM "${base.schema}".avails WHERE id = $1`, [ids[0]]);
    expect(stored.status).toBe('expired');
    expect(await storedLevels(venueId, date)).toEqual([1, 2]);
    expect(await ladder(`venueId=${venueId}&date=${date}`)).toEqual([
      [ids[1], 1, 'held'],
      [ids[2], 2, 'held'],
    ]);
    expect(await ladder(`venueId=${other.venueId}&date=${other.date}`)).toEqual([
      [other.ids[0], 1, 'held'],
      [other.ids[2], 2, 'held'],
    ]);
    expect(await history(ids[0])).toEqual(['avail.expired', 'avail.created']);
    expect(await history(ids[2])).toEqual(['avail.moved-up', 'avail.created']);
    const actor = await base.sql<{ actor_id: string }>(`SELECT actor_id FROM "${base.schema}".domain_events WHERE entity_id = $1 AND type = 'avail.expired'`, [ids[0]]);
    expect(actor).toEqual([{ actor_id: 'system:jobs' }]);
    // A second sweep finds nothing left to do.
    await sweepsDue();
    await base.server.jobs.runOnce();
    expect(await history(ids[2])).toEqual(['avail.moved-up', 'avail.created']);
  });

  test('the sweep racing new holds on the same slot: the expiry is written once, the ladder stays gapless', async () => {
    for (let round = 0; round < 3; round++) {
      const { venueId, date, ids } = await threeHolds();
      await past(ids[0], 'expires_at');
      await sweepsDue();
      const [, , a, b] = await Promise.all([
        base.server.jobs.runOnce(),
        base.server.jobs.runOnce(),
        base.rest('POST', '/api/avails', { as: admin, body: { venueId, date } }),
        base.rest('POST', '/api/avails', { as: admin, body: { venueId, date } }),
      ]);
      expect([a.status, b.status]).toEqual([201, 201]);
      expect([a.body.data.holdLevel, b.body.data.holdLevel].sort()).toEqual([3, 4]);
      expect(await storedLevels(venueId, date)).toEqual([1, 2, 3, 4]);
      expect((await history(ids[0])).filter((t) => t === 'avail.expired')).toHaveLength(1);
      expect(await history(ids[1])).toEqual(['avail.moved-up', 'avail.created']);
    }
  });

  test('a challenge unanswered by its respondBy releases level 1 and the challenger moves up', async () => {
    const { venueId, date, ids } = await threeHolds();
    expect((await act(ids[1], 'challenge')).status).toBe(200);
    await past(ids[0], 'respond_by');
    expect(expectRestError(await act(ids[0], 'confirm'), 409, 'CONFLICT').message).toContain('is released');
    await sweepsDue();
    await Promise.all([base.server.jobs.runOnce(), base.server.jobs.runOnce()]);
    expect((await read(ids[0])).status).toBe('released');
    expect(await ladder(`venueId=${venueId}&date=${date}`)).toEqual([
      [ids[1], 1, 'held'],
      [ids[2], 2, 'held'],
    ]);
    expect(await history(ids[0])).toEqual(['avail.released', 'avail.challenged', 'avail.created']);
  });
});

describe('two servers over one schema', () => {
  test('sweeps on two instances at once move one ladder once', async () => {
    const { venueId, date, ids } = await threeHolds();
    await past(ids[0], 'expires_at');
    await past(ids[1], 'expires_at');
    await sweepsDue();
    const config = loadConfig({
      NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', JOBS: 'false',
      DATABASE_URL: process.env.DATABASE_URL!, DATABASE_SCHEMA: base.schema, DATABASE_POOL_MAX: '3',
      AUTH_JWKS_URL: base.auth.jwksUrl, AUTH_URL: base.auth.url,
    });
    const second = await startServer({
      config, logger: createLogger('silent'), databaseUrl: process.env.DATABASE_URL!, jwksUrl: base.auth.jwksUrl, authUrl: base.auth.url, clock: base.clock,
    });
    try {
      await Promise.all([base.server.jobs.runOnce(), second.jobs.runOnce(), base.server.jobs.runOnce(), second.jobs.runOnce()]);
    } finally {
      await second.stop();
    }
    expect(await storedLevels(venueId, date)).toEqual([1]);
    expect(await history(ids[2])).toEqual(['avail.moved-up', 'avail.created']);
    expect((await history(ids[1]))[0]).toBe('avail.expired');
  });
});

describe('ladder query, permissions and tenancy', () => {
  test('the ladder needs a venue or an artist and a date, and basic.avail.view', async () => {
    expectRestValidation(await base.rest('GET', '/api/avails/ladder?date=2031-01-01', { as: admin }), ['venueId', 'artistId']);
    expectRestValidation(await base.rest('GET', `/api/avails/ladder?venueId=${NO_SUCH_ID}`, { as: admin }), ['date']);
    const viewer = await base.caller(['basic.avail.view']);
    expect((await base.rest('GET', `/api/avails/ladder?venueId=${NO_SUCH_ID}&date=2031-01-01`, { as: viewer })).body.data).toEqual([]);
    const nobody = await base.caller(['basic.venue.view']);
    expectRestError(await base.rest('GET', `/api/avails/ladder?venueId=${NO_SUCH_ID}&date=2031-01-01`, { as: nobody }), 403, 'FORBIDDEN');
    const gql = await base.gql(`{ ladder(artistId: "${NO_SUCH_ID}", date: "2031-01-01") { id } }`, {}, { as: nobody });
    expect(gql.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expectRestError(await act(NO_SUCH_ID, 'release', {}, viewer), 403, 'FORBIDDEN');
  });

  test("another company's venue or artist is refused naming the field; another company's hold is absent", async () => {
    const outsider = await base.caller(undefined, { company: base.companyB });
    const theirVenue = await venue(outsider);
    const theirArtist = await artist(outsider);
    const date = freshDate();
    const byVenue = await base.rest('POST', '/api/avails', { as: admin, body: { venueId: theirVenue, date } });
    expect(expectRestValidation(byVenue, ['venueId'])[0].message).toContain('no such venue');
    const byArtist = await base.rest('POST', '/api/avails', { as: admin, body: { artistId: theirArtist, date } });
    expectRestValidation(byArtist, ['artistId']);
    const theirs = await hold({ venueId: theirVenue, date }, outsider);
    expectRestError(await base.rest('GET', `/api/avails/${theirs.id}`, { as: admin }), 404, 'NOT_FOUND');
    expectRestError(await act(theirs.id, 'confirm'), 404, 'NOT_FOUND');
    expectRestError(await base.rest('DELETE', `/api/avails/${theirs.id}`, { as: admin }), 404, 'NOT_FOUND');
    expect(await ladder(`venueId=${theirVenue}&date=${date}`)).toEqual([]);
    // Their level 1 does not take ours: the ladder is per company.
    expect((await read(theirs.id, outsider)).holdLevel).toBe(1);
  });
});

describe('Avail machine', () => {
  stateMachineSuite({
    base,
    family: availFamily,
    caller: () => base.caller(),
    path: (id) => `/api/avails/${id}`,
    input: (action) => (action === 'challenge' ? {} : undefined),
    async reach(actor, state, action) {
      const venueId = await venue(actor);
      const date = freshDate();
      const first = await hold({ venueId, date }, actor);
      if (state === 'held' && action === 'challenge') return (await hold({ venueId, date }, actor)).id;
      if (state === 'challenged') {
        const second = await hold({ venueId, date }, actor);
        expect((await act(second.id, 'challenge', {}, actor)).status).toBe(200);
      }
      if (state === 'confirmed') expect((await act(first.id, 'confirm', {}, actor)).status).toBe(200);
      if (state === 'released') expect((await act(first.id, 'release', {}, actor)).status).toBe(200);
      if (state === 'expired') await past(first.id, 'expires_at');
      return first.id;
    },
  });
});

describe('Avail.venue, Avail.artist and Venue.avails', () => {
  test('the venue and artist of a hold, and a venue\u2019s holds in date and level order, each under its own view permission', async () => {
    const venueId = await venue();
    const artistId = await artist();
    const date = freshDate();
    const first = await hold({ venueId, artistId, date });
    const second = await hold({ venueId, date });
    const q = `query($id: ID!, $v: ID!) {
      avail(id: $id) { holdLevel venue { id } artist { id } }
      venue(id: $v) { avails(limit: 5) { total items { id holdLevel } } } }`;
    const answer = await base.gql(q, { id: first.id, v: venueId }, { as: admin });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data).toEqual({
      avail: { holdLevel: 1, venue: { id: venueId }, artist: { id: artistId } },
      venue: { avails: { total: 2, items: [{ id: first.id, holdLevel: 1 }, { id: second.id, holdLevel: 2 }] } },
    });
    const holdsOnly = await base.caller(['basic.avail.view']);
    const denied = await base.gql(`query($id: ID!) { avail(id: $id) { holdLevel venue { id } } }`, { id: first.id }, { as: holdsOnly });
    expect(denied.body.data.avail).toEqual({ holdLevel: 1, venue: null });
    expect(denied.body.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([['FORBIDDEN', ['avail', 'venue']]]);
  });
});

test('every move of a hold, the acted one and those moved as a consequence, says whose hold it was', async () => {
  const other = await base.caller();
  const venueId = await venue();
  const date = freshDate();
  const first = await hold({ venueId, date });
  const second = await hold({ venueId, date }, other);
  expect((await act(first.id, 'release')).status).toBe(200);
  const events = await base.sql<{ type: string; entity_id: string; affects: string[] }>(
    `SELECT type, entity_id, payload -> 'affects' AS affects FROM "${base.schema}".domain_events
      WHERE entity_id = ANY($1) AND type IN ('avail.released', 'avail.moved-up') ORDER BY type`,
    [[first.id, second.id]],
  );
  expect(events).toEqual([
    { type: 'avail.moved-up', entity_id: second.id, affects: [other.userId] },
    { type: 'avail.released', entity_id: first.id, affects: [admin.userId] },
  ]);
});

test('another company\u2019s holds, on a venue of the same name and the same day, never touch your ladder', async () => {
  const outsider = await base.caller(undefined, { company: base.companyB });
  const date = freshDate();
  const theirVenue = await venue(outsider);
  const theirs = [await hold({ venueId: theirVenue, date }, outsider), await hold({ venueId: theirVenue, date }, outsider)];
  const ourVenue = await venue();
  const ours = await hold({ venueId: ourVenue, date });
  expect(ours.holdLevel).toBe(1);
  expect((await act(ours.id, 'confirm')).status).toBe(200);
  const their = await Promise.all(theirs.map(async (h) => (await base.rest('GET', `/api/avails/${h.id}`, { as: outsider })).body.data));
  expect(their.map((h) => [h.holdLevel, h.status])).toEqual([[1, 'held'], [2, 'held']]);
  expect((await base.rest('GET', `/api/avails/${theirs[0].id}`, { as: admin })).status).toBe(404);
});

describe('a ladder is bounded', () => {
  test('at most 20 holds stand on one slot: the 21st is a conflict, a level over 20 a validation error', async () => {
    const venueId = await venue();
    const date = freshDate();
    for (let i = 0; i < 20; i++) await hold({ venueId, date });
    expectRestError(await base.rest('POST', '/api/avails', { as: admin, body: { venueId, date } }), 409, 'CONFLICT');
    expectRestValidation(await base.rest('POST', '/api/avails', { as: admin, body: { venueId, date: freshDate(), holdLevel: 21 } }), ['holdLevel']);
    expect(await storedLevels(venueId, date)).toHaveLength(20);
  });
});
