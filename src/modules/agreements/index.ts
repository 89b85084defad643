/** What other families may use of Agreements. */
export { Agreement, AGREEMENT_STATES, agreementFamily, agreementService, lockUnsigned } from './agreement.family';
export type { AgreementState } from './agreement.family';
export { agreementModule } from './agreement.module';
export { dealRows, dealSummary, radiusText, scheduleRows } from './deal-terms';
export type { DealTermsText } from './deal-terms';
export { readShow, scheduleAndRadius, venueLine } from './show-document';
