import { defineFamily } from '../../core/family';
import { SettledStatement } from './settlement.entity';

/**
 * Stored statements of settled events: a read model, served only as the computed read `Event.settlement`
 * (`GET /api/events/{id}/settlement`) and written only by settling the event.
 */
export const settlementFamily = defineFamily({
  entity: SettledStatement,
  resource: 'event',
  singular: 'settlement',
  plural: 'settlements',
  description: 'The stored statements of settled events.',
  readModel: true,
  operations: [],
  fields: {},
  filters: {},
  order: (qb, a) => qb.orderBy(`${a}.settledAt`, 'ASC'),
});
