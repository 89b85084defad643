import { DOCUMENT_URL_FIELD, type DocumentDef, documentUrl } from '../core/documents';
import { buildResolver, type MemberDef } from './resolvers';
import type { RuleSpec } from './rules';
import { registerKeyedField } from './selection';
import type { ClassType } from '../db/class-type';

/**
 * `<Type>.documentUrl`: the REST path of a document (GraphQL does not carry bytes; a frontend links
 * to it with the caller's headers). On the record's type, or on the type of the computed read it is of; under
 * the document's own requirement.
 */
export function documentMember(document: DocumentDef): { resolver: ClassType; rules: RuleSpec } {
  const def = document.of();
  const on = document.urlOn;
  const type = on?.type ?? def.entity;
  const member: MemberDef = {
    kind: 'field',
    name: DOCUMENT_URL_FIELD,
    returns: () => String,
    // nullable: a denied field is null with FORBIDDEN on its path, the rest still arrives
    nullable: true,
    description: `${document.description} This field is its REST path: \`GET\` it with the same headers (GraphQL does not carry the bytes).`,
    args: [],
    resolve: (root: Record<string, unknown>) => documentUrl(document, on ? { ...root, id: on.recordId(root) } : root),
  };
  // A record's path needs its id alone (and its parent's key, when nested: then it is read whole).
  if (!on && !def.parent) registerKeyedField(def.entity, DOCUMENT_URL_FIELD, 'id');
  return {
    resolver: buildResolver(`${type.name}DocumentUrlResolver`, () => type, [member]),
    rules: { [type.name]: { [DOCUMENT_URL_FIELD]: document.requirement } },
  };
}
