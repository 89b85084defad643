import { registerEnumType } from 'type-graphql';

/**
 * A GraphQL enum over a family's stored values: GraphQL names are UPPER_CASE by convention
 * (`ARTIST_FEE`), the values REST and the database use stay as declared (`artist_fee`).
 */
export function graphqlEnum<const V extends readonly string[]>(name: string, values: V, description?: string): Record<string, V[number]> {
  const enumObject = Object.fromEntries(values.map((v) => [v.toUpperCase(), v])) as Record<string, V[number]>;
  registerEnumType(enumObject, { name, description });
  return enumObject;
}
