import type { MigrationInterface, QueryRunner } from 'typeorm';
import { graphqlEnum } from '../../src/core/enums';
import { ConflictError } from '../../src/shared/errors';
import type { EventTypeOf } from '../../src/core/event-types';
import { defineFamily } from '../../src/core/family';
import { f } from '../../src/core/fields';
import type { FamilyModule } from '../../src/core/module';
import { FamilyService } from '../../src/core/service';
import { defineRecord, type RecordOf } from '../../src/core/record';
import { MODULES } from '../../src/modules';

/**
 * A fixture family that uses every workflow feature of the kit, declared the way a real family is
 * and touching nothing in src/http, src/graphql or src/db: a tour with a state machine and actions,
 * stops nested under it (no update), a job its `announce` action schedules, and a sweep.
 */
export const TOUR_STATES = ['draft', 'announced', 'cancelled'] as const;
export type TourState = (typeof TOUR_STATES)[number];
const TourStateEnum = graphqlEnum('KitTourState', TOUR_STATES);

export const KitTour = defineRecord({
  name: 'KitTour',
  table: 'kit_tours',
  description: 'Kit fixture: a tour with a state machine and actions.',
  fields: {
    title: f.text().required(),
    status: f.enumOf(TOUR_STATES, TourStateEnum).readOnly(),
    remindAt: f.dateTime().nullable().readOnly(),
    reminders: f.int().readOnly(),
  },
});
export type KitTour = RecordOf<typeof KitTour>;

export const KitStop = defineRecord({
  name: 'KitStop',
  table: 'kit_stops',
  description: 'Kit fixture: a stop nested under a tour.',
  referencedById: false,
  fields: {
    tourId: f.id().readOnly().references(() => KitTour),
    city: f.text().required(),
  },
});
export type KitStop = RecordOf<typeof KitStop>;

export const REMIND = 'kitTour.remind';

export const tourFamily = defineFamily({
  entity: KitTour,
  resource: 'event',
  singular: 'kitTour',
  plural: 'kitTours',
  filters: {},
  order: (qb, a) => qb.orderBy(`${a}.title`, 'ASC'),
  states: { field: 'status', states: TOUR_STATES, initial: 'draft' },
  actions: {
    announce: {
      permission: 'edit',
      description: 'Announce the tour; a reminder runs at remindAt.',
      from: ['draft'],
      to: 'announced',
      input: { remindAt: f.dateTime().required() },
      async run(tour, input, tx) {
        const remindAt = input.remindAt as Date;
        await tx.enqueue({ kind: REMIND, payload: { tourId: tour.id }, runAt: remindAt, dedupeKey: `${REMIND}:${tour.id}` });
        return { remindAt };
      },
    },
    cancel: { permission: 'edit', description: 'Cancel the tour.', from: ['draft', 'announced'], to: 'cancelled', run: async () => {} },
    reopen: { permission: 'edit', description: 'Back to draft.', from: ['cancelled'], to: 'draft', run: async () => {} },
    /** Writes, schedules, then refuses: everything it did must roll back. */
    explode: {
      permission: 'delete',
      description: 'Fails after writing (rollback fixture).',
      async run(tour, _input, tx) {
        await tx.repo(KitTour).update(tour.id, { title: 'half-written' });
        await tx.enqueue({ kind: REMIND, payload: { tourId: tour.id } });
        throw new ConflictError('exploded on purpose');
      },
    },
    /** Declares one move and makes another: the kit refuses it (its drawing would lie). */
    stray: {
      permission: 'delete',
      description: 'Ends elsewhere than it declares (fixture).',
      from: ['draft'],
      to: 'announced',
      run: async () => ({ status: 'cancelled' as const }),
    },
  },
});

export const tourService = new FamilyService<KitTour>(tourFamily);

export const stopFamily = defineFamily({
  entity: KitStop,
  resource: 'ticket',
  singular: 'kitStop',
  plural: 'kitStops',
  path: '/stops',
  parent: { family: () => tourFamily, key: 'tourId' },
  operations: ['list', 'one', 'create', 'delete'],
  filters: {},
  order: (qb, a) => qb.orderBy(`${a}.city`, 'ASC'),
});

export const tourModule: FamilyModule<KitTour> = {
  family: tourFamily,
  service: tourService,
  jobs: {
    [REMIND]: {
      async run(payload, scope) {
        const tour = await tourService.find(scope, String(payload.tourId));
        if (!tour || tour.status !== 'announced') return; // moved on since it was scheduled
        await tourService.update(scope, tour.id, { reminders: tour.reminders + 1 });
      },
    },
  },
  sweeps: {
    'cancel-stale-drafts': {
      everyMs: 60_000,
      due: () => `status = 'draft' AND title LIKE 'stale%'`,
      run: async (tour, scope) => void (await tourService.act(scope, 'cancel', tour.id, {})),
    },
  },
};

const stopService = new FamilyService<KitStop>(stopFamily);

export const stopModule: FamilyModule<KitStop> = {
  family: stopFamily,
  service: stopService,
  // Another family's event, handled inside the transaction that recorded it: a cancelled tour's
  // stops go with it, and a tour whose stops veto it cannot be cancelled at all.
  handlers: {
    'kitTour.cancelled': [
      async (event, tx) => {
        const stops = await tx.repo(KitStop).find((qb, a) => qb.andWhere(`${a}.tourId = :t`, { t: event.entityId }));
        if (stops.some((s) => s.city === 'Veto')) throw new ConflictError('a stop vetoes the cancellation');
        for (const stop of stops) await stopService.delete(tx, stop.id, undefined, event.entityId);
      },
    ],
  },
};

export class KitTables1900000000000 implements MigrationInterface {
  name = 'KitTables1900000000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE kit_tours (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(), company_id uuid NOT NULL,
        title text NOT NULL, status text NOT NULL CONSTRAINT ck__kit_tours__status CHECK (status IN ('draft', 'announced', 'cancelled')), remind_at timestamptz, reminders int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL, version int NOT NULL DEFAULT 1,
        CONSTRAINT uq__kit_tours__company_id_id UNIQUE (company_id, id))`);
    await q.query(`
      CREATE TABLE kit_stops (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(), company_id uuid NOT NULL,
        tour_id uuid NOT NULL, city text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL, version int NOT NULL DEFAULT 1,
        CONSTRAINT fk__kit_stops__tour_id FOREIGN KEY (company_id, tour_id) REFERENCES kit_tours (company_id, id))`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE kit_stops');
    await q.query('DROP TABLE kit_tours');
  }
}

// The fixtures' event types join Base's, so handlers keyed on them type-check.
declare module '../../src/core/event-types' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging adds keys
  interface EventTypes extends Record<EventTypeOf<typeof tourFamily | typeof stopFamily>, true> {}
}

/** Base's own families plus the fixtures, for useTestBase. */
export const KIT_SERVE = {
  modules: [...MODULES, tourModule, stopModule] as FamilyModule[],
  extraEntities: [KitTour, KitStop],
  extraMigrations: [KitTables1900000000000],
};
