/** What other families may use of Agencies. */
export { Agency } from './agency.entity';
export { agencyFamily } from './agency.family';
export { agencyService } from './agency.service';
export { agencyModule } from './agency.module';
