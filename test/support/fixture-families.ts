import type { MigrationInterface, QueryRunner } from 'typeorm';
import { defineFamily } from '../../src/core/family';
import { f } from '../../src/core/fields';
import { filters } from '../../src/core/listing';
import type { FamilyModule } from '../../src/core/module';
import { FamilyService } from '../../src/core/service';
import { defineRecord, type RecordOf } from '../../src/core/record';
import { MODULES } from '../../src/modules';
import type { ExtraFamilies } from './harness';

/**
 * Families that exist only in tests, in shapes Base has no real family of yet: one whose label is
 * not `name` (gigs, by `title`), one nested under it (seats, `/gigs/{gigId}/seats`), and one without
 * an update (documents). The family suite runs on them like on any other, so it is proven generic.
 * They borrow catalog resources (`event`, `ticket`, `file`) for their permissions.
 */

export const Gig = defineRecord({
  name: 'Gig',
  table: 'fixture_gigs',
  description: 'Test fixture: a family labelled by title.',
  fields: { title: f.text().required(), notes: f.longText().nullable() },
});
export type Gig = RecordOf<typeof Gig>;

export const Seat = defineRecord({
  name: 'Seat',
  table: 'fixture_seats',
  description: 'Test fixture: a family nested under Gig.',
  referencedById: false,
  fields: {
    gigId: f.id().readOnly().references(() => Gig),
    code: f.text(20).required(),
    section: f.text(50).nullable(),
  },
});
export type Seat = RecordOf<typeof Seat>;

export const Document = defineRecord({
  name: 'Document',
  table: 'fixture_documents',
  description: 'Test fixture: a family that cannot be updated.',
  referencedById: false,
  fields: { title: f.text().required(), summary: f.longText().nullable() },
});
export type Document = RecordOf<typeof Document>;

export const gigFamily = defineFamily({
  entity: Gig,
  resource: 'event',
  singular: 'gig',
  plural: 'gigs',
  filters: { q: filters.search(['title'], 'Text contained in the title') },
  order: (qb, a) => qb.orderBy(`${a}.title`, 'ASC'),
});

export const seatFamily = defineFamily({
  entity: Seat,
  resource: 'ticket',
  singular: 'seat',
  plural: 'seats',
  parent: { family: () => gigFamily as never, key: 'gigId' },
  filters: {},
  order: (qb, a) => qb.orderBy(`${a}.code`, 'ASC'),
});

export const documentFamily = defineFamily({
  entity: Document,
  resource: 'file',
  singular: 'document',
  plural: 'documents',
  operations: ['list', 'one', 'create', 'delete'],
  filters: { q: filters.search(['title'], 'Text contained in the title') },
  order: (qb, a) => qb.orderBy(`${a}.title`, 'ASC'),
});

export const FIXTURE_MODULES: FamilyModule[] = [
  { family: gigFamily, service: new FamilyService(gigFamily) } as FamilyModule<Gig> as unknown as FamilyModule,
  { family: seatFamily, service: new FamilyService(seatFamily) } as FamilyModule<Seat> as unknown as FamilyModule,
  { family: documentFamily, service: new FamilyService(documentFamily) } as FamilyModule<Document> as unknown as FamilyModule,
];

const SYSTEM_COLUMNS = `
  company_id  uuid        NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  created_by  text        NOT NULL,
  version     integer     NOT NULL DEFAULT 1`;

export class FixtureFamilies1900000000000 implements MigrationInterface {
  name = 'FixtureFamilies1900000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE fixture_gigs (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(), title text NOT NULL, notes text, ${SYSTEM_COLUMNS},
      CONSTRAINT uq__fixture_gigs__company_id_id UNIQUE (company_id, id))`);
    // (company_id, gig_id): a seat belongs to a gig of its own company.
    await q.query(`CREATE TABLE fixture_seats (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(), gig_id uuid NOT NULL, code text NOT NULL, section text, ${SYSTEM_COLUMNS},
      CONSTRAINT fk__fixture_seats__gig_id FOREIGN KEY (company_id, gig_id) REFERENCES fixture_gigs (company_id, id))`);
    await q.query(`CREATE TABLE fixture_documents (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(), title text NOT NULL, summary text, ${SYSTEM_COLUMNS})`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE fixture_documents, fixture_seats, fixture_gigs');
  }
}

/** Base's families plus the fixtures, for `useTestBase({}, WITH_FIXTURE_FAMILIES)`. */
export const WITH_FIXTURE_FAMILIES: ExtraFamilies = {
  modules: [...MODULES, ...FIXTURE_MODULES],
  extraEntities: [Gig, Seat, Document],
  extraMigrations: [FixtureFamilies1900000000000],
};
