import { Column, CreateDateColumn, PrimaryGeneratedColumn, UpdateDateColumn, ValueTransformer } from 'typeorm';
import { Field, GraphQLISODateTime, ID, Int, ObjectType } from 'type-graphql';

/**
 * What every stored record has. `companyId` is the tenant: set by the data-access layer from the
 * request context, never from a payload, and not exposed over GraphQL (it is the caller's x-org).
 */
@ObjectType()
export abstract class TenantEntity {
  @Field(() => ID, { description: 'The record\'s id (a UUID).' })
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  companyId: string;

  @Field(() => GraphQLISODateTime, { description: 'When the record was created.' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field(() => GraphQLISODateTime, { description: 'When the record last changed.' })
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @Field({ description: 'The Auth user id (token `sub`) that created the record.' })
  @Column('text')
  createdBy: string;

  @Field(() => Int, { description: 'Send it back on update: a stale version is a conflict.' })
  @Column('int', { default: 1 })
  version: number;

  /** REST answers carry the same fields as GraphQL: the tenant column is the caller's x-org. */
  toJSON(): Record<string, unknown> {
    const { companyId: _companyId, ...fields } = this as Record<string, unknown>;
    return fields;
  }
}

/** PostgreSQL `bigint` arrives as a string; money in minor units stays well inside 2^53. */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null || value === undefined ? value : Number(value)),
};
