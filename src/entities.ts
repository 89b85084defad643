import { DomainEvent } from './core/events';
import { MODULES } from './modules';
import type { ClassType } from './db/class-type';

/** Every table TypeORM maps: each family's entity, the modules' other tables and the kit's own. */
export const ENTITIES: ClassType[] = [DomainEvent, ...MODULES.flatMap((m) => [...(m.family ? [m.family.entity] : []), ...(m.entities ?? [])])];
