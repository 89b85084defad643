import type { FamilyModule } from '../../core/module';
import { belongsTo, hasMany } from '../../core/relations';
import { permission } from '../../permissions/catalog';
import { Event } from '../events';
import { Vendor } from '../vendors';
import { Expense, expenseFamily } from './expense.family';

export const expenseModule: FamilyModule<Expense> = {
  family: expenseFamily,
  // Who submitted it hears the decision (nobody decides on their own submission).
  notices: {
    'expense.approved': { title: 'Your expense was approved' },
    'expense.rejected': {
      title: 'Your expense was rejected',
      body: (e) => {
        const note = (e.payload.input as Record<string, unknown> | undefined)?.note;
        return typeof note === 'string' ? note : null;
      },
    },
  },
  relations: [
    belongsTo({ source: Expense, field: 'event', target: Event, key: 'eventId', requirement: permission('event', 'view'), description: 'The event it is for.' }),
    belongsTo({ source: Expense, field: 'vendor', target: Vendor, key: 'vendorId', requirement: permission('vendor', 'view'), description: 'The vendor paid.' }),
    hasMany({
      source: Event,
      field: 'expenses',
      target: Expense,
      foreignKey: 'eventId',
      requirement: permission('expense', 'view'),
      order: (qb, a) => qb.orderBy(`${a}.createdAt`, 'ASC').addOrderBy(`${a}.id`, 'ASC'),
      description: 'Its expenses, oldest first.',
    }),
  ],
};
