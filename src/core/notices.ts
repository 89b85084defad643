import type { EventType } from './event-types';
import type { DomainEvent } from './events';

/**
 * What a domain event tells the users it affects, declared by the family that records it
 * (`FamilyModule.notices`, keyed by event type). The notifications family turns each such event
 * into one notification per affected user (`payload.affects`), never for whoever caused it, in the
 * transaction that recorded the event; its kind (a client's icon or filter) is the event type.
 */
export interface NoticeSpec {
  title: string;
  /** More words, from the event (a rejection's note). */
  body?(event: DomainEvent): string | null;
}

/** Event type → its notice; a type no module declares stops the start-up. */
export type Notices = { [T in EventType]?: NoticeSpec };

/** The users an event concerns (`payload.affects`), each once, without whoever caused it. */
export function recipientsOf(event: DomainEvent): string[] {
  const affects = event.payload.affects;
  if (!Array.isArray(affects)) return [];
  return [...new Set(affects.filter((u): u is string => typeof u === 'string' && u.length > 0 && u !== event.actorId))];
}
