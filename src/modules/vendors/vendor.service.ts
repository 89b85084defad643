import { FamilyService } from '../../core/service';
import { Vendor } from './vendor.entity';
import { vendorFamily } from './vendor.family';

export const vendorService = new FamilyService<Vendor>(vendorFamily);
