import type { FamilyModule } from '../../core/module';
import { hasMany } from '../../core/relations';
import { permission } from '../../permissions/catalog';
import { Event } from '../events';
import { Income, incomeFamily } from './income.family';

export const incomeModule: FamilyModule<Income> = {
  family: incomeFamily,
  relations: [
    hasMany({
      source: Event,
      field: 'incomes',
      target: Income,
      foreignKey: 'eventId',
      requirement: permission('income', 'view'),
      order: (qb, a) => qb.orderBy(`${a}.createdAt`, 'ASC').addOrderBy(`${a}.id`, 'ASC'),
      description: 'Its income beyond ticket tiers, oldest first.',
    }),
  ],
};
