import { Agencies1764000000000 } from './1764000000000-Agencies';
import { Catalog1764000100000 } from './1764000100000-Catalog';
import { CompanyIdDefault1764000200000 } from './1764000200000-CompanyIdDefault';

/** Every migration, oldest first. A test checks that each file in this folder is listed here. */
export const MIGRATIONS = [Agencies1764000000000, Catalog1764000100000, CompanyIdDefault1764000200000];
