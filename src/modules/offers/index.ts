/** What other families may use of Offers. */
export { Offer, OFFER_STATES, OfferStateEnum, DEAL_TYPES, DealTypeEnum, offerStatusNowSql } from './offer.entity';
export type { OfferState, DealType } from './offer.entity';
export { offerFamily } from './offer.family';
export { offerService } from './offer.service';
export { offerModule } from './offer.module';
