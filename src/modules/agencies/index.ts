/** What other families may use of Agencies. */
export { Agency, agencyFamily, agencyService } from './agency.family';
