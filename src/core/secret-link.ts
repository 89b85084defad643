import type { SecretLinkKind } from '../db/secret-links';
import type { TenantScope } from '../db/tenant-scope';
import type { ErrorCode } from '../shared/errors';
import type { OutgoingContent } from './family-operations';

/**
 * A document served at a link that carries a secret instead of a token (a calendar feed's URL: a
 * calendar app sends no Authorization header), mounted from the root, outside `/api`. The surface
 * finds the link's company and owner from the secret (src/db/secret-links.ts), answers 404 when
 * there is none, and hands `serve` the secret's hash and a scope in that company, as its owner;
 * `serve` checks the link itself (revoked, expired, its rate) and makes the document. The answer has
 * a strong ETag (If-None-Match → 304).
 */
export interface SecretLinkDef {
  kind: SecretLinkKind;
  /** From the root, express syntax, with a `:secret` segment (`/calendar/:secret.ics`). */
  path: string;
  /** Its OpenAPI operationId. */
  operationId: string;
  description: string;
  /** The media type of what it serves (`text/calendar`). */
  mediaType: string;
  /** Error codes it answers beyond NOT_FOUND. */
  errors?: readonly ErrorCode[];
  serve(secretHash: Buffer, scope: TenantScope): Promise<OutgoingContent>;
}
