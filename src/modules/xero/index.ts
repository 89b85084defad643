/** What other modules may use of the Xero sync. */
export { XeroConnection, XeroSyncItem } from './xero-records';
export { xeroModule } from './xero.module';
export { XERO_EVENTS } from './xero.service';
export { SealedSecrets } from './sealed-secrets';
