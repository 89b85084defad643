import { graphqlEnum } from '../../core/enums';
import { defineFamily } from '../../core/family';
import { f } from '../../core/fields';
import { filters } from '../../core/listing';
import { defineRecord, type RecordOf } from '../../core/record';
import { serviceOf } from '../../core/service';
import { Event, eventFamily } from '../events';

export const INCOME_CATEGORIES = ['tickets', 'bar', 'merch', 'sponsorship', 'rental', 'other'] as const;
export type IncomeCategory = (typeof INCOME_CATEGORIES)[number];
export const IncomeCategoryEnum = graphqlEnum('IncomeCategory', INCOME_CATEGORIES, 'Where money of an event came from.');

export const Income = defineRecord({
  name: 'Income',
  table: 'incomes',
  description: 'Money an event took beyond its ticket tiers (bar, merch, sponsorship, …).',
  fields: {
    eventId: f
      .id()
      .readOnly()
      .references(() => Event)
      .describe('The event this income belongs to (from the path it was created under).'),
    category: f.enumOf(INCOME_CATEGORIES, IncomeCategoryEnum).required().describe('Where the money came from.'),
    description: f.text().required().describe('What the money was for, in words (at most 200 characters).'),
    amount: f.money().required().checked().describe('How much came in, in minor units of `currency` (not negative).'),
    currency: f.currency().describe("ISO-4217 code of `amount` (`EUR`); the event's when not given on create."),
    receivedAt: f.dateTime().nullable().describe('When the money came in; null when not yet known.'),
  },
  // A list's order and filters (migrations/1764001960000-ListIndexes.ts).
  indexes: ['ix__incomes__list'],
});
export type Income = RecordOf<typeof Income>;

export const incomeFamily = defineFamily({
  entity: Income,
  resource: 'income',
  singular: 'income',
  plural: 'incomes',
  description: 'Income of an event beyond its ticket tiers.',
  parent: { family: () => eventFamily as never, key: 'eventId' },
  filters: {
    q: filters.search(['description'], 'Text contained in the description'),
    category: filters.equals('category', f.enumOf(INCOME_CATEGORIES, IncomeCategoryEnum), { description: 'Income of this category' }),
  },
  order: (qb, a) => qb.orderBy(`${a}.description`, 'ASC'),
  hooks: {
    /** Income is in the event's currency unless another is named. */
    prepareCreate: async (tx, data) => {
      const event = await tx.repo(Event).getById(data.eventId!, 'Event');
      return { ...data, currency: data.currency ?? event.currency };
    },
  },
});

export const incomeService = serviceOf(incomeFamily);
