/** What other families may use of the company metadata. */
export { Company, companyFamily } from './company.family';
export { companyService, COMPANY_DEFAULTS } from './company.service';
export { letterhead, addressLine } from './letterhead';
export type { Letterhead } from './letterhead';
