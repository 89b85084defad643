import { FamilyService } from '../../core/service';
import { Agency } from './agency.entity';
import { agencyFamily } from './agency.family';

export const agencyService = new FamilyService<Agency>(agencyFamily);
