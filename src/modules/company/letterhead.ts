import type { Address } from '../../core/address';
import { DocumentFormat } from '../../core/pdf';
import type { TenantScope } from '../../db/tenant-scope';
import { companyService } from './company.service';

/** What heads a company's documents: its name and lines, and how its values are written (its time zone). */
export interface Letterhead {
  issuer: string;
  issuerLines: string[];
  /** The company's default currency, for a document whose record names none. */
  currency: string;
  format: DocumentFormat;
}

export async function letterhead(scope: TenantScope): Promise<Letterhead> {
  const company = await companyService.current(scope);
  const name = company.displayName ?? company.legalName ?? 'Company';
  return {
    issuer: name,
    issuerLines: [
      company.legalName && company.legalName !== name ? company.legalName : null,
      addressLine(company.address),
      company.taxNumber ? `Tax number ${company.taxNumber}` : null,
    ].filter((line): line is string => Boolean(line)),
    currency: company.currency,
    format: new DocumentFormat(company.timezone),
  };
}

/** An address on one line, its parts in the usual order, the empty ones left out. */
export function addressLine(address: Address | null | undefined): string | null {
  if (!address) return null;
  const parts = [address.line1, address.line2, [address.postalCode, address.city].filter(Boolean).join(' '), address.region, address.country];
  const line = parts.filter((p) => typeof p === 'string' && p.trim() !== '').join(', ');
  return line || null;
}
