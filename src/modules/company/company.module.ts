import type { FamilyModule } from '../../core/module';
import { Company } from './company.entity';
import { companyFamily } from './company.family';
import { companyService } from './company.service';

export const companyModule: FamilyModule<Company> = { family: companyFamily, service: companyService };
