import { defineFamily } from '../../core/family';
import { f } from '../../core/fields';
import { filters } from '../../core/listing';
import { eventFamily } from '../events';
import { Income, INCOME_CATEGORIES, IncomeCategoryEnum } from './income.entity';

export const incomeFamily = defineFamily({
  entity: Income,
  resource: 'income',
  singular: 'income',
  plural: 'incomes',
  description: 'Income of an event beyond its ticket tiers.',
  parent: { family: () => eventFamily as never, key: 'eventId' },
  fields: {
    category: f.enumOf(INCOME_CATEGORIES, IncomeCategoryEnum).required(),
    description: f.text().required(),
    amount: f.money().required().describe('In minor units of `currency`.'),
    currency: f.currency().describe("ISO 4217 code (absent: the event's)."),
    receivedAt: f.dateTime().nullable().describe('When the money came in.'),
  },
  filters: {
    q: filters.search(['description'], 'Text contained in the description'),
    category: filters.equals('category', f.enumOf(INCOME_CATEGORIES, IncomeCategoryEnum), { description: 'Income of this category' }),
  },
  order: (qb, a) => qb.orderBy(`${a}.description`, 'ASC'),
});
