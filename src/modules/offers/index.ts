/** What other families may use of Offers. */
export { Offer, OFFER_STATES, OfferStateEnum, DEAL_TYPES, DealTypeEnum, offerStatusNowSql, offerFamily, offerService } from './offer.family';
export type { OfferState, DealType } from './offer.family';
export { offerModule } from './offer.module';
