/** What other families may use of Vendors. */
export { Vendor, VENDOR_CATEGORIES } from './vendor.entity';
export { vendorFamily } from './vendor.family';
export { vendorService } from './vendor.service';
export { vendorModule } from './vendor.module';
