import { registerEnumType } from 'type-graphql';

/**
 * A GraphQL enum over a family's stored values: GraphQL names are UPPER_CASE by convention
 * (`ARTIST_FEE`), the values REST and the database use stay as declared (`artist_fee`).
 *
 * Every value is described: by what `meanings` says of it, or else by the enum's description when
 * that is a list of `value: meaning` separated by semicolons (`flat: the guarantee; versus: …`), or
 * else by its name in words; then by what the surfaces add (how a state is reached and left, see
 * `noteEnumValues`); and always by its REST spelling, which is what differs between the surfaces.
 */
export function graphqlEnum<const V extends readonly string[]>(
  name: string,
  values: V,
  description?: string,
  meanings: Partial<Record<V[number], string>> = {},
): Record<string, V[number]> {
  const enumObject = Object.fromEntries(values.map((v) => [v.toUpperCase(), v])) as Record<string, V[number]>;
  const listed = meaningsIn(values, description);
  const info: EnumInfo = {
    meanings: Object.fromEntries(values.map((v) => [v, (meanings as Record<string, string | undefined>)[v] ?? listed[v]])),
    notes: {},
    valuesConfig: {},
  };
  describeValues(info);
  // type-graphql reads valuesConfig when the schema is built, so notes added until then are in it.
  registerEnumType(enumObject, { name, description, valuesConfig: info.valuesConfig });
  enums.set(enumObject, info);
  return enumObject;
}

/**
 * More to say of some values of an enum made by `graphqlEnum` (a state: what moves a record into and
 * out of it), before the schema is built; said after the value's meaning. Saying it again replaces it.
 */
export function noteEnumValues(enumObject: object, notes: Record<string, string>): void {
  const info = enums.get(enumObject);
  if (!info) throw new Error('noteEnumValues: not an enum made by graphqlEnum');
  for (const [value, note] of Object.entries(notes)) {
    if (!(value in info.meanings)) throw new Error(`noteEnumValues: ${value} is not a value of this enum`);
    info.notes[value] = note;
  }
  describeValues(info);
}

interface EnumInfo {
  /** Value → what it means, when the declaration says. */
  meanings: Record<string, string | undefined>;
  notes: Record<string, string>;
  /** type-graphql's, by GraphQL name; kept and changed in place. */
  valuesConfig: Record<string, { description?: string }>;
}

const enums = new WeakMap<object, EnumInfo>();

function describeValues(info: EnumInfo): void {
  for (const [value, meaning] of Object.entries(info.meanings)) {
    const words = meaning ?? value.replace(/_/g, ' ');
    const parts = [sentence(words), info.notes[value], `\`${value}\` over REST.`].filter(Boolean);
    info.valuesConfig[value.toUpperCase()] = { description: parts.join(' ') };
  }
}

const sentence = (text: string) => {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
};

/** `value: meaning; value: meaning` in an enum's description, when every part of it is one of those. */
function meaningsIn(values: readonly string[], description: string | undefined): Record<string, string> {
  if (!description) return {};
  const parts = description.replace(/\.$/, '').split(/;\s+/);
  const found: Record<string, string> = {};
  for (const part of parts) {
    const match = /^([a-z0-9_]+): (.+)$/s.exec(part);
    if (!match || !values.includes(match[1])) return {};
    found[match[1]] = match[2];
  }
  return found;
}
