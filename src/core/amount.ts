import { Field, ObjectType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';

/** A total in one currency: totals of money are kept per currency, never added across currencies. */
@ObjectType('CurrencyAmount', { description: 'An amount in one currency (totals are per currency, never summed across currencies).' })
export class CurrencyAmount {
  @Field(() => String, { description: 'ISO-4217 code.' })
  currency: string;

  @Field(() => GraphQLSafeInt, { description: 'Minor units of `currency`.' })
  amount: number;
}
