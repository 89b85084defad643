import type { FamilyModule } from '../../core/module';
import { Vendor } from './vendor.entity';
import { vendorFamily } from './vendor.family';
import { vendorService } from './vendor.service';

export const vendorModule: FamilyModule<Vendor> = { family: vendorFamily, service: vendorService };
