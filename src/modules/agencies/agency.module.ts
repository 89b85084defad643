import type { FamilyModule } from '../../core/module';
import { Agency } from './agency.entity';
import { agencyFamily } from './agency.family';
import { agencyService } from './agency.service';

export const agencyModule: FamilyModule<Agency> = { family: agencyFamily, service: agencyService };
