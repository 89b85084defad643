import type { FamilyModule } from '../../core/module';
import { hasMany } from '../../core/relations';
import { permission } from '../../permissions/catalog';
import { Event } from '../events';
import { Expense } from './expense.entity';
import { expenseFamily } from './expense.family';
import { expenseService } from './expense.service';

export const expenseModule: FamilyModule<Expense> = {
  family: expenseFamily,
  service: expenseService,
  relations: [
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
