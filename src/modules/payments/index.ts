/** What other families may use of agreement payments. */
export { AgreementPayment, PAYMENT_KINDS, PAYMENT_STATES, paymentFamily, paymentService, paymentStatusNowSql } from './payment.family';
export type { PaymentKind, PaymentState } from './payment.family';
export { paymentModule } from './payment.module';
