import { f } from '../../core/fields';
import { defineFamily } from '../../core/family';
import { filters } from '../../core/listing';
import { defineRecord, type RecordOf } from '../../core/record';
import { serviceOf } from '../../core/service';
import { Agency } from '../agencies';
import { companyService } from '../company';

export const Artist = defineRecord({
  name: 'Artist',
  table: 'artists',
  description: 'A performing artist or act.',
  fields: {
    name: f.text().required().describe('The name the artist performs under (at most 200 characters).'),
    agencyId: f
      .id()
      .nullable()
      .references(() => Agency)
      .describe('The agency that represents the artist: one of this company; null when none does.'),
    genres: f.textList().describe('Genres the artist plays, each at most 100 characters, at most 50, repeats dropped; empty when none.'),
    country: f.country().nullable().describe('Where the artist is based: an ISO-3166 alpha-2 country code (`DE`), kept upper-case.'),
    city: f.text(100).nullable().describe('The city the artist is based in (at most 100 characters).'),
    email: f.email().nullable().describe('Where to write to the artist: an email address.'),
    phone: f.phone().nullable().describe('Their phone number as people write it (digits, spaces, + ( ) . / -).'),
    website: f.url().nullable().describe('Their website: an http(s) URL.'),
    notes: f.longText().nullable().describe("Free text for the company's own use (at most 20,000 characters)."),
    defaultFee: f.money().nullable().checked().describe('The usual fee, in minor units of `currency` (not negative); null when none is agreed.'),
    currency: f.currency().describe("ISO-4217 currency of the money fields (`EUR`); the company's default when not given on create."),
  },
  // The GIN index of the genres; a list's order and filters (migrations/1764001960000-ListIndexes.ts).
  indexes: ['ix__artists__genres', 'ix__artists__list', 'ix__artists__list_agency', 'ix__artists__q_name'],
});
export type Artist = RecordOf<typeof Artist>;

export const artistFamily = defineFamily({
  entity: Artist,
  resource: 'artist',
  singular: 'artist',
  plural: 'artists',
  importable: true,
  filters: {
    q: filters.search(['name'], 'Text contained in the name'),
    agencyId: filters.equals('agencyId', f.id()),
    genre: filters.arrayContains('genres', 'Artists with this genre'),
  },
  order: (qb, a) => qb.orderBy(`${a}.name`, 'ASC'),
  hooks: {
    /** Money records default to the company's currency. */
    prepareCreate: async (scope, data) => ({ ...data, currency: data.currency ?? (await companyService.currency(scope)) }),
  },
});

export const artistService = serviceOf(artistFamily);
