/** What other families may use of the company metadata. */
export { Company } from './company.entity';
export { companyFamily } from './company.family';
export { companyService, COMPANY_DEFAULTS } from './company.service';
export { companyModule } from './company.module';
export { letterhead, addressLine } from './letterhead';
export type { Letterhead } from './letterhead';
