import { defineDocument } from '../../core/documents';
import { recordEvent } from '../../core/events';
import type { FamilyModule } from '../../core/module';
import { Event } from '../events';
import { belongsTo } from '../../core/relations';
import { permission } from '../../permissions/catalog';
import { Agreement } from '../agreements';
import { Artist } from '../artists';
import { Venue } from '../venues';
import { Offer, offerFamily } from './offer.family';
import { offerLetterFileName, renderOfferLetter } from './offer-letter';

/** Agreement.offer lives here: Offers depend on Agreements, never the other way round. */
export const offerModule: FamilyModule<Offer> = {
  family: offerFamily,
  // Who made the offer hears the other side's answer.
  notices: {
    'offer.accepted': { title: 'Your offer was accepted' },
    'offer.declined': { title: 'Your offer was declined' },
  },
  handlers: {
    // An unsigned agreement deleted: its offer stays accepted and no longer names it.
    'agreement.deleted': [
      async (event, tx) => {
        const offers = await tx.repo(Offer).find((qb, a) => void qb.andWhere(`${a}.agreementId = :agreementId`, { agreementId: event.entityId }));
        for (const offer of offers) {
          const row = await tx.repo(Offer).update(offer.id, { agreementId: null });
          await recordEvent(tx, { type: 'offer.agreement-deleted', entityType: 'Offer', entityId: offer.id, version: row.version, payload: { agreementId: event.entityId, affects: [offer.createdBy] } });
        }
      },
    ],
  },
  documents: [
    defineDocument<Offer>({
      of: () => offerFamily,
      requirement: permission('offer', 'view'),
      description: 'The offer letter: the show, the deal terms, the schedule, the radius clause and when the offer expires.',
      fileName: offerLetterFileName,
      render: renderOfferLetter,
    }),
  ],
  relations: [
    belongsTo({ source: Offer, field: 'event', target: Event, key: 'eventId', requirement: permission('event', 'view') }),
    belongsTo({ source: Offer, field: 'artist', target: Artist, key: 'artistId', requirement: permission('artist', 'view') }),
    belongsTo({ source: Offer, field: 'venue', target: Venue, key: 'venueId', requirement: permission('venue', 'view') }),
    belongsTo({ source: Offer, field: 'agreement', target: Agreement, key: 'agreementId', requirement: permission('agreement', 'view'), description: 'The agreement made when it was accepted.' }),
    belongsTo({ source: Agreement, field: 'offer', target: Offer, key: 'offerId', requirement: permission('offer', 'view'), description: 'The accepted offer it was made from.' }),
  ],
};
