import { Column, ColumnType } from 'typeorm';
import { Field, GraphQLISODateTime, ID, Int } from 'type-graphql';
import { GraphQLLocalDate, GraphQLSafeInt } from 'graphql-scalars';
import { bigintAsNumber } from './base-entity';
import type { ClassType } from './class-type';

/**
 * One decorator per kind of stored field: the PostgreSQL column and the GraphQL field together, so
 * an entity reads as a list of what it holds. The column name is the snake_case of the property.
 */
export interface ColumnOptions {
  nullable?: boolean;
  description?: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type GraphQLType = () => any;

function stored(graphql: GraphQLType, column: ColumnType, sqlOptions: Record<string, unknown> = {}) {
  return ({ nullable = false, description }: ColumnOptions = {}): PropertyDecorator =>
    (target, key) => {
      Field(graphql, { nullable, description })(target, key as string);
      Column(column as never, { nullable, ...sqlOptions })(target, key as string);
    };
}

export const TextColumn = stored(() => String, 'text');
export const IdColumn = stored(() => ID, 'uuid');
export const IntColumn = stored(() => Int, 'int');
/** Integer minor units of the record's currency (bigint, SafeInt). */
export const MoneyColumn = stored(() => GraphQLSafeInt, 'bigint', { transformer: bigintAsNumber });
/** A count or size that may pass 2^31 (bytes of a file): bigint, SafeInt. */
export const BigIntColumn = stored(() => GraphQLSafeInt, 'bigint', { transformer: bigintAsNumber });
/** A calendar day, `YYYY-MM-DD`. */
export const DateColumn = stored(() => GraphQLLocalDate, 'date');
export const DateTimeColumn = stored(() => GraphQLISODateTime, 'timestamptz');
export const TextListColumn = stored(() => [String], 'text', { array: true, default: () => "'{}'" });

/** A text column whose values a GraphQL enum (see core/enums.ts) names. */
export function EnumColumn(graphqlEnum: object, options?: ColumnOptions): PropertyDecorator {
  return stored(() => graphqlEnum, 'text')(options);
}

/** A jsonb value object with its own GraphQL object type (an address). */
export function JsonColumn(type: ClassType, options?: ColumnOptions): PropertyDecorator {
  return stored(() => type, 'jsonb')(options);
}
