import type { SecretLinkDef } from '../core/secret-link';
import { linkSecretHash } from '../db/secret-links';
import { NotFoundError } from '../shared/errors';
import { serveContent } from './content';
import type { RouteDef, RouteTag } from './rest';
import { headline } from './route-docs';

/**
 * `GET <path>` from the root: the document of a link that carries a secret instead of a token. A
 * secret of the wrong form, or one no link has, is 404 without a statement more than the lookup;
 * the document has a strong ETag (If-None-Match → 304).
 */
export function secretLinkRoute(link: SecretLinkDef, tag: RouteTag): RouteDef {
  return {
    method: 'GET',
    path: link.path,
    root: true,
    requirement: 'public',
    summary: headline(link.description),
    description: link.description,
    operationId: link.operationId,
    tag,
    doc: {
      answer: 'linked',
      mediaType: link.mediaType,
      pathParams: { secret: { description: 'The secret of the link, as the URL it was given in carries it (43 characters, base64url).', pattern: '^[A-Za-z0-9_-]{43}$' } },
      errors: ['NOT_FOUND', ...(link.errors ?? [])],
    },
    handler: async ({ params, raw, res, openLink }) => {
      const hash = linkSecretHash(params.secret ?? '');
      const scope = hash && (await openLink(link.kind, hash));
      if (!hash || !scope) throw new NotFoundError('Link');
      await serveContent(raw, res, await link.serve(hash, scope));
      return { handled: true };
    },
  };
}
