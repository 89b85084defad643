import { DomainEvent } from './core/events';
import { MODULES } from './modules';

/** Every table TypeORM maps: each family's entity and the kit's own. */
export const ENTITIES: Function[] = [DomainEvent, ...MODULES.map((m) => m.family.entity)];
