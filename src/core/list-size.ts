import { Extensions } from 'type-graphql';

/**
 * How many items an unpaged GraphQL list field answers at most, declared beside the field: the cost
 * limit multiplies the field's children by it (a paged field by its `limit`). Every list of objects
 * declares one; the schema is checked for it at start-up.
 */
export interface ListSize {
  /** The most items the list holds. */
  maxItems?: number;
  /** A page's `items`: already counted by its page field's `limit`. */
  pageItems?: true;
}

export const MaxItems = (maxItems: number): MethodDecorator & PropertyDecorator => Extensions({ maxItems } satisfies ListSize);

/** ISO-4217 codes this runtime knows: a per-currency list holds at most one row for each. */
export const CURRENCY_COUNT = Intl.supportedValuesOf('currency').length;
