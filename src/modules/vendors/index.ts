/** What other families may use of Vendors. */
export { Vendor, VENDOR_CATEGORIES, vendorFamily, vendorService } from './vendor.family';
