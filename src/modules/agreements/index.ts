/** What other families may use of Agreements. */
export { Agreement, AGREEMENT_STATES } from './agreement.entity';
export type { AgreementState } from './agreement.entity';
export { agreementFamily } from './agreement.family';
export { agreementService } from './agreement.service';
export { agreementModule } from './agreement.module';
export { dealRows, dealSummary, radiusText, scheduleRows } from './deal-terms';
export type { DealTermsText } from './deal-terms';
export { readShow, scheduleAndRadius, venueLine } from './show-document';
